#!/usr/bin/env bash
# Rewrites the README's methods table from the registry (src/cli/methods-table.test.ts fails when they differ).
set -euo pipefail
cd "$(dirname "$0")/.."
table=$(./bin/lethe.js methods --markdown)
TABLE="$table" node -e '
const fs = require("fs");
const s = fs.readFileSync("README.md", "utf8");
const out = s.replace(/(<!-- METHODS-TABLE -->\n)[\s\S]*?(\n<!-- \/METHODS-TABLE -->)/, (_, a, b) => a + process.env.TABLE + b);
fs.writeFileSync("README.md", out);'
