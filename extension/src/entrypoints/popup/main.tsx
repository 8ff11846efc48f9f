import { render } from 'preact';
import '../../ui/theme.css';
import './style.css';
import { PopupPage } from '../../pages/popup-page.tsx';

render(<PopupPage />, document.getElementById('app') as HTMLElement);
