import { render } from 'preact';
import '../../ui/theme.css';
import '../../pages/activities/activities.css';
import { ActivitiesPage } from '../../pages/activities-page.tsx';

render(<ActivitiesPage />, document.getElementById('app') as HTMLElement);
