// turndown-plugin-gfm ships no types; this declares the one plugin Ponder uses.
declare module "turndown-plugin-gfm" {
  import type TurndownService from "turndown";

  export function gfm(service: TurndownService): void;
}
