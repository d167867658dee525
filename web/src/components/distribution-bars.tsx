import type { AnswerCluster } from "../api/api-types.js";
import { formatShare, shorten } from "../format/format-values.js";

/** How the samples' answers spread: one bar per group of equivalent answers, largest first. */
export function DistributionBars({ clusters, winner }: { clusters: AnswerCluster[]; winner: string | null }) {
  return (
    <section className="distribution" aria-labelledby="distribution-heading">
      <h3 id="distribution-heading">Answers</h3>
      <ul>
        {clusters.map((cluster, index) => (
          <li key={index} className={cluster.answer === winner ? "cluster winner" : "cluster"}>
            <div className="cluster-label">
              <span title={cluster.answer}>{shorten(cluster.answer, 120) || "(empty answer)"}</span>
              <span className="muted">
                {cluster.count} · {formatShare(cluster.share)}
              </span>
            </div>
            <div className="bar" aria-hidden="true">
              <div className="bar-fill" style={{ width: `${Math.max(2, cluster.share * 100)}%` }} />
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
