import type { Query } from '../../hooks/useQuery';
import { Card, ErrorBox } from '../ui';
import type { AccountRecommendation } from '../../../../shared/api/scenario-types';

const VERDICT: Record<AccountRecommendation['direction'], string> = { prepaid: 'Prepaid', 'post-pay': 'Post-pay', either: 'Either' };

/** Prepaid or post-pay per account: which way the evidence points, how strongly, and why. */
export function RecommendationPanel({ q }: { q: Query<AccountRecommendation[]> }) {
  return (
    <Card title="Prepaid or post-pay">
      {q.error && <ErrorBox error={q.error} />}
      {!q.data && !q.error && <p className="muted">Weighing the evidence…</p>}
      <div className="sc-recs">
        {q.data?.map((r) => (
          <article key={r.accountId} className="sc-rec" aria-label={`Recommendation for ${r.accountName}`}>
            <header>
              <h3>{r.accountName}</h3>
              <span className={`sc-verdict sc-${r.direction}`}>
                {VERDICT[r.direction]}
                {r.direction !== 'either' && ` · ${r.strength}`}
              </span>
            </header>
            <ul>
              {r.reasons.map((x) => (
                <li key={x.factor} className={`sc-lean-${x.pointsTo}`}>
                  <span className="sc-lean" aria-label={`points to ${x.pointsTo}`}>
                    {x.pointsTo === 'prepaid' ? '▲' : x.pointsTo === 'post-pay' ? '▼' : '•'}
                  </span>
                  {x.text}
                  {x.weight > 0 && <span className="muted small"> (weight {Math.round(x.weight * 100)}%)</span>}
                </li>
              ))}
            </ul>
            <p className="muted small">Score {r.score.toFixed(2)} on −1 (post-pay) … +1 (prepaid) · {r.frameworks.join(' · ')}</p>
          </article>
        ))}
      </div>
    </Card>
  );
}
