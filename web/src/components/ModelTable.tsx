// The sortable, filterable table of a comparison's models with an A and a B pick per row.
// The left panel shows a few columns of it; the Experiments view shows the metric map's (all of them on request).
import { useMemo, useState, type ReactNode } from 'react';
import { cellText, COLUMNS, filterRows, nextSort, shownColumns, sortRows, toRows, type ColumnKey, type ModelSummary, type SortState } from '../lib/experiments.ts';
import type { Side } from '../lib/colors.ts';

export function ModelTable({ models, forgetText, columns, sortBy = 'avgGap', a, b, onPick, compact = false, tools }: {
  models: ModelSummary[];
  forgetText: string;
  columns: ColumnKey[];
  /** The first sort: the comparison's gap to retraining (avgGap, or l1Gap for a regressor), better first. */
  sortBy?: ColumnKey;
  a?: string;
  b?: string;
  onPick: (side: Side, id: string) => void;
  compact?: boolean;
  /** More controls beside the filters (the "all metrics" toggle). */
  tools?: ReactNode;
}) {
  const [sort, setSort] = useState<SortState>(() => ({ key: sortBy, dir: COLUMNS[sortBy].better === 'high' ? 'desc' : 'asc' }));
  const [query, setQuery] = useState('');
  const [method, setMethod] = useState('');
  const all = useMemo(() => toRows(models, forgetText), [models, forgetText]);
  const methods = useMemo(() => [...new Set(models.map((m) => m.method))], [models]);
  const shown = useMemo(() => sortRows(filterRows(all, query, method ? [method] : []), sort), [all, query, method, sort]);
  const visible = compact ? columns.map((k) => COLUMNS[k]) : shownColumns(all, columns);
  return (
    <div className={compact ? 'model-table compact' : 'model-table'}>
      <div className="table-tools">
        <input type="search" placeholder="Filter: method, parameter, seed…" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="filter models" />
        <select value={method} onChange={(e) => setMethod(e.target.value)} aria-label="filter by method">
          <option value="">All methods</option>
          {methods.map((m) => <option key={m} value={m}>{m}</option>)}
        </select>
        {tools}
      </div>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th className="pick" title="Model A">A</th>
              <th className="pick" title="Model B">B</th>
              {visible.map((c) => (
                <th key={c.key} title={c.title} className={c.numeric ? 'num' : ''} aria-sort={sort.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
                  <button type="button" onClick={() => setSort(nextSort(sort, c.key))}>
                    {c.label}
                    <span className="sort-mark">{sort.key === c.key ? (sort.dir === 'asc' ? '▲' : '▼') : ''}</span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.id} data-model={r.id} className={[r.id === a ? 'is-a' : '', r.id === b ? 'is-b' : '', `role-${r.model.role}`].join(' ')}>
                {(['A', 'B'] as const).map((side) => (
                  <td key={side} className="pick">
                    <input
                      type="radio"
                      name={`pick-${side}${compact ? '-c' : ''}`}
                      className={`pick-${side}`}
                      checked={(side === 'A' ? a : b) === r.id}
                      onChange={() => onPick(side, r.id)}
                      aria-label={`model ${side}: ${r.model.method} seed ${r.model.seed}`}
                    />
                  </td>
                ))}
                {visible.map((c) => (
                  <td key={c.key} className={c.numeric ? 'num' : c.key === 'params' ? 'params' : ''} title={c.key === 'params' ? String(r.values.params) : undefined}>
                    {c.key === 'method' ? (
                      <span className="method-cell">
                        {r.model.method}
                        {r.model.role !== 'method' && <span className={`role-tag role-${r.model.role}`}>{r.model.role === 'original' ? 'baseline' : 'reference'}</span>}
                      </span>
                    ) : (
                      cellText(c.key, r.values[c.key])
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {!shown.length && <p className="empty">No model matches the filter.</p>}
      </div>
    </div>
  );
}
