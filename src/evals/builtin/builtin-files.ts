// The generated content behind the built-in eval set: a shipments table and a census page of
// invented stations, so no answer can be recalled from training data.

/** Marks the built-in set's text; a model that can complete it has seen the set. */
export const builtinCanary = "PONDER-EVAL-CANARY 6f3e1c9a-4b7d-4e2f-9a18-c05d2b7e8f41";

const regions = ["Northfold", "Eastmere", "Southholt", "Westvale"];
const months = ["2026-01", "2026-02", "2026-03", "2026-04"];

export type ShipmentRow = { region: string; month: string; units: number; price: number };

export function csvRows(random: () => number): ShipmentRow[] {
  return Array.from({ length: 240 }, (_, index) => ({
    region: regions[Math.floor(random() * regions.length)] as string,
    month: months[index % months.length] as string,
    units: 1 + Math.floor(random() * 500),
    // Prices in whole cents, so revenue sums are exact.
    price: Math.round((2 + random() * 48) * 100) / 100,
  }));
}

export const planetStations = [
  { name: "Harrow Deep", body: "Tethys-4", population: 1_204, founded: 2091 },
  { name: "Kestrel Outpost", body: "Marrow IIb", population: 8_375, founded: 2104 },
  { name: "Lumen Gate", body: "Caldera", population: 23_910, founded: 2087 },
  { name: "Sable Reach", body: "Marrow IIb", population: 642, founded: 2112 },
];

export function pageHtml(): string {
  const rows = planetStations
    .map(
      (station) =>
        `<tr><td>${station.name}</td><td>${station.body}</td><td>${station.population.toLocaleString("en-US")}</td><td>${station.founded}</td></tr>`,
    )
    .join("\n");
  return `<!doctype html><html><head><title>Outer Belt station census</title></head><body>
<h1>Outer Belt station census, cycle 41</h1>
<p>The census office counts residents of every permanent station once per cycle. Transit crews are not counted.</p>
<table><thead><tr><th>Station</th><th>Body</th><th>Residents</th><th>Founded</th></tr></thead><tbody>
${rows}
</tbody></table>
<p>${builtinCanary}</p>
</body></html>
`;
}
