import { Route, Routes } from 'react-router';
import { ActivityPage } from '../features/activity/ActivityPage';
import { UsersPage } from '../features/admin/users/UsersPage';
import { AlertConsolePage } from '../features/alerts/AlertConsolePage';
import { IntegrationPage } from '../features/alerts/IntegrationPage';
import { IntegrationsPage } from '../features/alerts/IntegrationsPage';
import { LazyNoisePage } from '../features/alerts/lazy-pages';
import { AuditPage } from '../features/audit/AuditPage';
import { CiListPage } from '../features/cmdb/CiListPage';
import { CiPage } from '../features/cmdb/CiPage';
import { LazyImportPage, LazyServiceMapPage } from '../features/cmdb/lazy-pages';
import { InboxPage } from '../features/inbox/InboxPage';
import { IncidentPage } from '../features/incidents/IncidentPage';
import { IncidentsPage } from '../features/incidents/IncidentsPage';
import { PeoplePage } from '../features/people/PeoplePage';
import { PersonPage } from '../features/people/PersonPage';
import { AppLayout } from '../features/shell/AppLayout';
import { NotFoundPage } from '../features/shell/NotFoundPage';
import { TeamPage } from '../features/teams/TeamPage';
import { TeamsPage } from '../features/teams/TeamsPage';
import { TokensPage } from '../features/tokens/TokensPage';

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<AppLayout />}>
        <Route index element={<ActivityPage />} />
        <Route path="inbox" element={<InboxPage />} />
        <Route path="teams" element={<TeamsPage />} />
        <Route path="teams/:slug" element={<TeamPage />} />
        <Route path="people" element={<PeoplePage />} />
        <Route path="people/:handle" element={<PersonPage />} />
        <Route path="tokens" element={<TokensPage />} />
        <Route path="cmdb" element={<CiListPage />} />
        <Route path="cmdb/cis/:key" element={<CiPage />} />
        <Route path="cmdb/import" element={<LazyImportPage />} />
        <Route path="map" element={<LazyServiceMapPage />} />
        <Route path="alerts" element={<AlertConsolePage />} />
        <Route path="alerts/noise" element={<LazyNoisePage />} />
        <Route path="integrations" element={<IntegrationsPage />} />
        <Route path="integrations/:id" element={<IntegrationPage />} />
        <Route path="incidents" element={<IncidentsPage />} />
        <Route path="incidents/:id" element={<IncidentPage />} />
        <Route path="admin/users" element={<UsersPage />} />
        <Route path="admin/audit" element={<AuditPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
