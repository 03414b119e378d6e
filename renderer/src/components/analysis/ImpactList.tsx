import type { ChangeImpact } from '@shared/analysis/impact';
import { infrastructureChangeLine, type InfrastructureChange } from '@shared/analysis/infrastructure-changes';
import { leftOutNote, unknownPassLines, type UnknownPass } from '@shared/analysis/infrastructure-passes';
import { formatServices, isEmptyServiceSet } from '@shared/analysis/service-set';
import type { JSX } from 'react';
import { impactListNote, type ImpactHosts } from '../../model/impact-scope';

/**
 * The connections a change newly permits, blocks and redirects, one line per group pair, then
 * where infrastructure traffic passes on other hosts than before; first, the flows no policy
 * writes that pass traffic on a host, which a deploy removes, and the infrastructure traffic the
 * list leaves out (said after "DHCP no longer passes", "DHCP passes between every pair" read as
 * a contradiction). `hosts`: against the deployed flows, how many hosts were asked
 * and went unread, to say what the list covers.
 */
export function ImpactList({ impact, limit, hosts }: { impact: ChangeImpact; limit?: number; hosts?: ImpactHosts }): JSX.Element {
  const note = impactListNote(impact.entries.length, hosts);
  const leftOut = leftOutNote(impact.leftOut);
  const leftOutLine = leftOut ? (
    <p className="muted" data-testid="impact-left-out">
      {leftOut}
    </p>
  ) : null;
  if (impact.entries.length === 0)
    return (
      <>
        <UnknownPasses passes={impact.unknownPasses} />
        <p data-testid="impact-none">{note}</p>
        {leftOutLine}
        <InfrastructureChanges changes={impact.infrastructureChanges} />
      </>
    );
  const shown = limit === undefined ? impact.entries : impact.entries.slice(0, limit);
  return (
    <>
      <UnknownPasses passes={impact.unknownPasses} />
      {note !== null ? <p data-testid="impact-scope">{note}</p> : null}
      {leftOutLine}
      <ul className="impact-list">
        {shown.map((e) => (
          <li key={`${e.from}→${e.to}`} data-testid="impact-entry" data-from={e.from} data-to={e.to}>
            <strong>
              {e.from} → {e.to}
            </strong>
            {!isEmptyServiceSet(e.newlyPermitted) ? (
              <span className="impact-permitted" data-testid="impact-permitted">
                {' '}newly permitted <span className="mono">{formatServices(e.newlyPermitted)}</span>
              </span>
            ) : null}
            {!isEmptyServiceSet(e.newlyBlocked) ? (
              <span className="impact-blocked" data-testid="impact-blocked">
                {' '}newly blocked <span className="mono">{formatServices(e.newlyBlocked)}</span>
              </span>
            ) : null}
            {!isEmptyServiceSet(e.newlyRedirected) ? (
              <span className="impact-redirected" data-testid="impact-redirected">
                {' '}newly sent to a honeypot <span className="mono">{formatServices(e.newlyRedirected)}</span>
              </span>
            ) : null}
            {!isEmptyServiceSet(e.noLongerRedirected) ? (
              <span className="impact-redirected">
                {' '}no longer sent to any honeypot <span className="mono">{formatServices(e.noLongerRedirected)}</span>
              </span>
            ) : null}
            {e.honeypotChanged.map((swap) => (
              <span key={`${swap.from}→${swap.to}`} className="impact-redirected">
                {' '}sent <span className="mono">{formatServices(swap.services)}</span> to {swap.to} instead of {swap.from}
              </span>
            ))}
            <span className="muted">
              {' '}({e.pairs} address {e.pairs === 1 ? 'pair' : 'pairs'}, e.g. {e.example.from} → {e.example.to}
              {e.example.service ? ` on ${e.example.service}` : ''})
            </span>
          </li>
        ))}
      </ul>
      {shown.length < impact.entries.length ? <p className="muted">… and {impact.entries.length - shown.length} more group pairs.</p> : null}
      <InfrastructureChanges changes={impact.infrastructureChanges} />
    </>
  );
}

/** Said before the list: what such a flow passes is in it, and the deploy asked about removes the flow. */
function UnknownPasses({ passes }: { passes: readonly UnknownPass[] }): JSX.Element | null {
  const [heading, ...where] = unknownPassLines(passes);
  if (heading === undefined) return null;
  return (
    <div className="form-warning" data-testid="impact-unknown-passes">
      <p>{heading}</p>
      <ul>
        {where.map((line, i) => (
          <li key={i} className="mono" data-testid="impact-unknown-pass">
            {line}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Said after the list: the list compares both sides without this traffic, so it cannot show it. */
function InfrastructureChanges({ changes }: { changes: readonly InfrastructureChange[] }): JSX.Element | null {
  if (changes.length === 0) return null;
  return (
    <div data-testid="impact-infrastructure">
      <p>What passes ahead of the policy&apos;s rules changes:</p>
      <ul>
        {changes.map((change) => (
          <li key={`${change.traffic} ${change.change}`} data-testid="impact-infrastructure-change">
            {infrastructureChangeLine(change)}
          </li>
        ))}
      </ul>
    </div>
  );
}
