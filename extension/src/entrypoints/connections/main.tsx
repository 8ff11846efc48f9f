import { render } from 'preact';
import '../../ui/theme.css';
import { ConnectionsPage } from '../../pages/connections-page.tsx';

render(<ConnectionsPage />, document.getElementById('app') as HTMLElement);
