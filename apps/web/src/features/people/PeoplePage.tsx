import { PeopleDirectory } from './PeopleDirectory';

export function PeoplePage() {
  return <PeopleDirectory title="People" description="Everyone in Opsloom and the teams they belong to." manage={false} />;
}
