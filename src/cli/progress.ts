// Progress on stderr: a bar in a terminal, a line every 10% otherwise (logs, pipes, CI).
import cliProgress from 'cli-progress';
import type { OnProgress, Progress } from '../train/progress.ts';

function detail(p: Progress): string {
  const parts: string[] = [];
  if (p.epochs) parts.push(`epoch ${p.epoch}/${p.epochs}`);
  if (p.loss !== undefined && Number.isFinite(p.loss)) parts.push(`loss ${p.loss.toFixed(4)}`);
  if (p.message) parts.push(p.message);
  return parts.join('  ');
}

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): OnProgress & { stop(): void } {
  let bar: cliProgress.SingleBar | undefined;
  let phase = '';
  let lastDecile = -1;
  const tty = stream.isTTY === true;
  const fn = (p: Progress) => {
    if (p.phase !== phase) {
      bar?.stop();
      bar = undefined;
      phase = p.phase;
      lastDecile = -1;
    }
    if (tty) {
      if (!bar) {
        bar = new cliProgress.SingleBar({
          stream,
          format: `${p.phase.padEnd(12)} [{bar}] {percentage}% {value}/{total} {detail} eta {eta_formatted}`,
          barsize: 30,
          hideCursor: true,
          clearOnComplete: false,
        }, cliProgress.Presets.shades_classic);
        bar.start(p.total, 0, { detail: '' });
      }
      bar.setTotal(p.total);
      bar.update(p.done, { detail: detail(p) });
    } else {
      const decile = Math.floor((10 * p.done) / Math.max(1, p.total));
      if (decile !== lastDecile) {
        lastDecile = decile;
        stream.write(`${p.phase} ${Math.round((100 * p.done) / Math.max(1, p.total))}% ${detail(p)}\n`);
      }
    }
  };
  return Object.assign(fn, {
    stop() {
      bar?.stop();
      bar = undefined;
    },
  });
}
