// Ranking candidates by pairwise comparisons. Each pair is judged twice, once in each order,
// and only a verdict both orders agree on counts: a judge that prefers whatever it reads first
// produces ties, not a false winner. Entrants come in seed order (best first, e.g. by cluster
// size); a tie goes to the better seed. The comparison is injected, so this file stays pure.

/** What a judge says about one ordering: the answer shown first, second, or neither. */
export type Verdict = "first" | "second" | "tie";

export type PairOutcome = "x" | "y" | "tie";

/** One judged ordering of a pair, with the judge's reason. */
export type JudgedOrder = { verdict: Verdict; reason: string };

/** The outcome of x against y from the order "x first" and the order "y first". */
export function combineSwappedVerdicts(xFirst: Verdict, yFirst: Verdict): PairOutcome {
  const fromFirstOrder: PairOutcome = xFirst === "first" ? "x" : xFirst === "second" ? "y" : "tie";
  const fromSwappedOrder: PairOutcome = yFirst === "first" ? "y" : yFirst === "second" ? "x" : "tie";
  return fromFirstOrder === fromSwappedOrder ? fromFirstOrder : "tie";
}

export type Match = { outcome: PairOutcome; reasons: string[] };
export type Compare<Entrant> = (x: Entrant, y: Entrant) => Promise<Match>;

export type Standing<Entrant> = {
  entrant: Entrant;
  seed: number;
  score: number;
  wins: number;
  losses: number;
  ties: number;
  /** The judge's reasons from this entrant's matches. */
  reasons: string[];
};

export type TournamentFormat = "knockout" | "swiss";

/** Runs a tournament and returns every entrant's standing, best first. */
export function rankByTournament<Entrant>(
  entrants: readonly Entrant[],
  compare: Compare<Entrant>,
  format: TournamentFormat,
): Promise<Standing<Entrant>[]> {
  return format === "knockout" ? knockout(entrants, compare) : swiss(entrants, compare);
}

function standingsOf<Entrant>(entrants: readonly Entrant[]): Standing<Entrant>[] {
  return entrants.map((entrant, seed) => ({ entrant, seed, score: 0, wins: 0, losses: 0, ties: 0, reasons: [] }));
}

/** Plays x against y and books the result; returns the standing that goes through (ties: the better seed). */
async function play<Entrant>(x: Standing<Entrant>, y: Standing<Entrant>, compare: Compare<Entrant>): Promise<Standing<Entrant>> {
  const match = await compare(x.entrant, y.entrant);
  x.reasons.push(...match.reasons);
  y.reasons.push(...match.reasons);
  if (match.outcome === "tie") {
    x.ties++;
    y.ties++;
    x.score += 0.5;
    y.score += 0.5;
    return x.seed < y.seed ? x : y;
  }
  const [winner, loser] = match.outcome === "x" ? [x, y] : [y, x];
  winner.wins++;
  winner.score += 1;
  loser.losses++;
  return winner;
}

/** Single elimination, best seed against worst; an odd entrant out gets a bye. Losers rank by how far they got. */
async function knockout<Entrant>(entrants: readonly Entrant[], compare: Compare<Entrant>): Promise<Standing<Entrant>[]> {
  const standings = standingsOf(entrants);
  const eliminatedInRound = new Map<Standing<Entrant>, number>();
  let alive = [...standings];
  for (let round = 1; alive.length > 1; round++) {
    const bye = alive.length % 2 === 1 ? alive.slice(0, 1) : [];
    const playing = alive.slice(bye.length);
    const matches = Array.from(
      { length: playing.length / 2 },
      (_, index) => [playing[index], playing[playing.length - 1 - index]] as [Standing<Entrant>, Standing<Entrant>],
    );
    const winners = await Promise.all(matches.map(([x, y]) => play(x, y, compare)));
    for (const [x, y] of matches) {
      const loser = winners.includes(x) ? y : x;
      eliminatedInRound.set(loser, round);
    }
    alive = [...bye, ...winners].sort((a, b) => a.seed - b.seed);
  }
  const roundOf = (standing: Standing<Entrant>) => eliminatedInRound.get(standing) ?? Number.POSITIVE_INFINITY;
  return standings.sort((a, b) => roundOf(b) - roundOf(a) || a.seed - b.seed);
}

/** Swiss system: ceil(log2 n) rounds, each pairing neighbours by score without rematches; a bye scores a win. */
async function swiss<Entrant>(entrants: readonly Entrant[], compare: Compare<Entrant>): Promise<Standing<Entrant>[]> {
  const standings = standingsOf(entrants);
  const met = new Set<string>();
  const pairKey = (a: Standing<Entrant>, b: Standing<Entrant>) => `${Math.min(a.seed, b.seed)}:${Math.max(a.seed, b.seed)}`;
  const rounds = Math.ceil(Math.log2(Math.max(1, standings.length)));
  for (let round = 0; round < rounds; round++) {
    const waiting = [...standings].sort(byScore);
    const pairs: [Standing<Entrant>, Standing<Entrant>][] = [];
    if (waiting.length % 2 === 1) {
      // The bye goes to the lowest-ranked entrant.
      const bye = waiting.pop() as Standing<Entrant>;
      bye.score += 1;
    }
    while (waiting.length > 1) {
      const first = waiting.shift() as Standing<Entrant>;
      const opponentIndex = Math.max(
        0,
        waiting.findIndex((candidate) => !met.has(pairKey(first, candidate))),
      );
      const [opponent] = waiting.splice(opponentIndex, 1) as [Standing<Entrant>];
      met.add(pairKey(first, opponent));
      pairs.push([first, opponent]);
    }
    await Promise.all(pairs.map(([x, y]) => play(x, y, compare)));
  }
  return standings.sort(byScore);
}

function byScore<Entrant>(a: Standing<Entrant>, b: Standing<Entrant>): number {
  return b.score - a.score || a.seed - b.seed;
}
