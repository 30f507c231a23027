#!/usr/bin/env bash
# Prints the README's methods table from the registry (so the docs cannot drift from the code).
cd "$(dirname "$0")/.." && ./bin/lethe.js methods --json | node -e '
let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
  console.log("| method | kind | what it does | paper | parameters (defaults) |\n|---|---|---|---|---|");
  for (const m of JSON.parse(s)) {
    const ps = m.params.map((p) => "`" + p.key + "=" + (p.default ?? "—") + "`").join(", ");
    console.log(`| \`${m.name}\` | ${m.kind} | ${m.summary} | ${m.paper} | ${ps} |`);
  }
});'
