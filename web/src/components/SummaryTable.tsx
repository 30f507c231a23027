// The numbers' table under a chart (Relearning, Corrective sweep, Worst case vs random): a header row (optionally a
// row of column groups above it), then one row per line of the chart, its colour beside its name.
import type { ReactNode } from 'react';

export interface SummaryColumn {
  label: ReactNode;
  /** The header's tooltip. */
  title?: string;
  /** Right-aligned numbers. */
  num?: boolean;
}

export interface SummaryRow {
  key: string;
  /** `data-row` (what tests and links find the row by); `key` when absent. */
  row?: string;
  className?: string;
  /** The row's colour in the chart, as a short line before its first cell. */
  color?: string;
  /** One cell per column, the first the row's name. */
  cells: ReactNode[];
}

export function SummaryTable({ testId, columns, rows, groups, className }: {
  testId: string;
  columns: SummaryColumn[];
  rows: SummaryRow[];
  /** Column groups above the header: each spans that many columns (an empty label for columns outside any group). */
  groups?: { label: ReactNode; span: number }[];
  className?: string;
}) {
  return (
    <div className="table-scroll">
      <table className={`summary-table ${className ?? ''}`.trim()} data-testid={testId}>
        <thead>
          {groups && (
            <tr className="group-row">
              {groups.map((g, i) => <th key={i} colSpan={g.span} className={g.label ? 'group' : undefined}>{g.label}</th>)}
            </tr>
          )}
          <tr>
            {columns.map((c, i) => <th key={i} className={c.num ? 'num' : undefined} title={c.title}>{c.label}</th>)}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-row={r.row ?? r.key} className={r.className}>
              {r.cells.map((cell, i) => (
                <td key={i} className={columns[i]?.num ? 'num' : undefined}>
                  {i === 0 && r.color && <span className="line-key" style={{ background: r.color }} aria-hidden />}
                  {cell}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
