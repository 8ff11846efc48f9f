import { render } from 'preact';
import '../../ui/theme.css';
import '../../pages/duplicates/duplicates.css';
import { DuplicatesPage } from '../../pages/duplicates-page.tsx';

render(<DuplicatesPage />, document.getElementById('app') as HTMLElement);
