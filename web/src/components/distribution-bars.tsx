import type { AnswerCluster } from "../api/api-types.js";
import { clusterColour } from "../format/cluster-colours.js";
import { formatShare, shorten } from "../format/format-values.js";

/** How the samples' answers spread: one bar per group of equivalent answers, largest first, in the colour of its cells. */
export function DistributionBars({ clusters, winner }: { clusters: AnswerCluster[]; winner: string | null }) {
  return (
    <section className="distribution" aria-labelledby="distribution-heading">
      <h3 id="distribution-heading">Answers</h3>
      <ul>
        {clusters.map((cluster, index) => (
          <li key={index} className={cluster.answer === winner ? "cluster winner" : "cluster"}>
            <div className="cluster-label">
              <span className="swatch" aria-hidden="true" style={{ background: clusterColour(index) }} />
              <span className="cluster-answer" title={cluster.answer}>
                {shorten(cluster.answer, 120) || "(empty answer)"}
              </span>
              <span className="muted">
                {cluster.count} · {formatShare(cluster.share)}
              </span>
            </div>
            <div className="bar" aria-hidden="true">
              <div className="bar-fill" style={{ width: `${Math.max(2, cluster.share * 100)}%`, background: clusterColour(index) }} />
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
