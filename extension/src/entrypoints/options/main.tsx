import { render } from 'preact';
import '../../ui/theme.css';
import './style.css';
import { OptionsPage } from '../../pages/options-page.tsx';

render(<OptionsPage />, document.getElementById('app') as HTMLElement);
