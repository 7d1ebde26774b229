import type { Viewer } from '../web/env.ts';
import { CsrfField } from '../web/forms.tsx';
import type { TeamRights } from './rights.ts';
import type { Team, TeamMember } from './teams.store.ts';

/** The members on the management page, with the buttons the viewer's rights allow. */
export function MemberTable(props: {
  team: Team;
  members: TeamMember[];
  rights: TeamRights;
  csrf: string | null;
  viewer: Viewer;
}) {
  const { team, members, rights, csrf } = props;
  if (members.length === 0) return <p class="empty">No member yet.</p>;
  return (
    <div class="table-scroll">
      <table class="data">
        <thead>
          <tr>
            <th>member</th>
            <th>role</th>
            <th>since</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {members.map((m) => {
            const path = `/teams/${team.slug}/members/${encodeURIComponent(m.username)}`;
            const removable = rights.admin || m.role === 'member' || m.userId === props.viewer.id;
            return (
              <tr>
                <td>
                  <a href={`/u/${encodeURIComponent(m.username)}`}>{m.username}</a>
                </td>
                <td>{m.role}</td>
                <td>{m.addedAt.slice(0, 10)}</td>
                <td>
                  {rights.admin ? (
                    <form method="post" action={`${path}/role`}>
                      <CsrfField csrf={csrf} />
                      <input type="hidden" name="role" value={m.role === 'lead' ? 'member' : 'lead'} />
                      <button type="submit">{m.role === 'lead' ? 'Make a member' : 'Make a lead'}</button>
                    </form>
                  ) : null}
                  {removable ? (
                    <form method="post" action={`${path}/remove`}>
                      <CsrfField csrf={csrf} />
                      <button type="submit" class="link">
                        Remove
                      </button>
                    </form>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
