/** The scorers `--scorer` names, as the help and errors list them (a module of its own: `ponder eval --help` loads only this). */
export const scorerNames = [
  "exact",
  "normalised",
  "numeric[:tolerance]",
  "regex",
  "includes",
  "model[:grader-model]",
  "python-tests",
  "module:<file.js>",
];
