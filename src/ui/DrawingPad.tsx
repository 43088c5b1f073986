/**
 * The drawing pad: pointer events (mouse, touch, pen), crisp on high-DPI screens, no page scrolling while
 * drawing, Undo and Clear (buttons, Ctrl+Z and Escape). Reports the strokes (the pen's path, in CSS pixels)
 * after every change: the model's input is made from them, not from this canvas's pixels.
 */
import { memo, useCallback, useEffect, useRef, useState } from 'react';
import type { Stroke } from '../preprocess/mnistInput';

type Point = [number, number];

export interface DrawingPadProps {
  /** Called with the strokes (empty when the pad is) and a version that grows with every change. */
  onStrokes(strokes: readonly Stroke[], version: number, final: boolean): void;
  /** When this changes, the pad empties (the guided round asks for the next drawing). */
  clearRequest?: number;
}

/** How thick the pen looks on the pad; the model's input is drawn with MNIST's own stroke width, whatever the size. */
const STROKE_RATIO = 0.075;

function DrawingPadView({ onStrokes, clearRequest = 0 }: DrawingPadProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const strokes = useRef<Point[][]>([]);
  const drawing = useRef<number | null>(null);
  const version = useRef(0);
  const frame = useRef(0);
  const [strokeCount, setStrokeCount] = useState(0);

  const context = () => canvas.current?.getContext('2d') ?? null;

  const redraw = useCallback(() => {
    const c = canvas.current;
    const ctx = context();
    if (!c || !ctx) return;
    const cssSize = c.clientWidth;
    const dpr = window.devicePixelRatio || 1;
    const size = Math.round(cssSize * dpr);
    if (c.width !== size || c.height !== size) {
      c.width = size;
      c.height = size;
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, cssSize, cssSize);
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.lineWidth = cssSize * STROKE_RATIO;
    ctx.strokeStyle = ctx.fillStyle = '#000';
    for (const stroke of strokes.current) {
      if (stroke.length === 1) {
        ctx.beginPath();
        ctx.arc(stroke[0]![0], stroke[0]![1], ctx.lineWidth / 2, 0, Math.PI * 2);
        ctx.fill();
        continue;
      }
      ctx.beginPath();
      ctx.moveTo(stroke[0]![0], stroke[0]![1]);
      for (const [x, y] of stroke.slice(1)) ctx.lineTo(x, y);
      ctx.stroke();
    }
  }, []);

  const report = useCallback(
    (final: boolean) => {
      version.current++;
      // A copy: the pad keeps appending to its own arrays while the user draws.
      onStrokes(
        strokes.current.map((s) => s.slice()),
        version.current,
        final,
      );
    },
    [onStrokes],
  );

  const changed = useCallback(
    (final: boolean) => {
      setStrokeCount(strokes.current.length);
      redraw();
      cancelAnimationFrame(frame.current);
      if (final) report(true);
      else frame.current = requestAnimationFrame(() => report(false));
    },
    [redraw, report],
  );

  const undo = useCallback(() => {
    if (strokes.current.length === 0) return;
    strokes.current = strokes.current.slice(0, -1);
    changed(true);
  }, [changed]);

  const clear = useCallback(() => {
    strokes.current = [];
    drawing.current = null;
    changed(true);
  }, [changed]);

  const cleared = useRef(clearRequest);
  useEffect(() => {
    if (cleared.current === clearRequest) return;
    cleared.current = clearRequest;
    clear();
  }, [clearRequest, clear]);

  useEffect(() => {
    const onResize = () => redraw();
    window.addEventListener('resize', onResize);
    redraw();
    return () => window.removeEventListener('resize', onResize);
  }, [redraw]);

  const point = (event: React.PointerEvent<HTMLCanvasElement>): Point => {
    const rect = event.currentTarget.getBoundingClientRect();
    return [event.clientX - rect.left, event.clientY - rect.top];
  };

  return (
    <div className="pad">
      <canvas
        ref={canvas}
        className="pad-canvas"
        aria-label="Drawing pad"
        role="img"
        tabIndex={0}
        onPointerDown={(e) => {
          if (e.button !== 0 && e.pointerType === 'mouse') return;
          try {
            e.currentTarget.setPointerCapture(e.pointerId);
          } catch {
            // A pointer the browser no longer tracks: draw without capture.
          }
          drawing.current = e.pointerId;
          strokes.current = [...strokes.current, [point(e)]];
          changed(false);
        }}
        onPointerMove={(e) => {
          if (drawing.current !== e.pointerId) return;
          const coalesced = e.nativeEvent.getCoalescedEvents?.() ?? [];
          const events = coalesced.length > 0 ? coalesced : [e.nativeEvent];
          const rect = e.currentTarget.getBoundingClientRect();
          strokes.current.at(-1)!.push(...events.map((p): Point => [p.clientX - rect.left, p.clientY - rect.top]));
          changed(false);
        }}
        onPointerUp={(e) => {
          if (drawing.current !== e.pointerId) return;
          drawing.current = null;
          changed(true);
        }}
        onPointerCancel={(e) => {
          if (drawing.current !== e.pointerId) return;
          drawing.current = null;
          changed(true);
        }}
        onKeyDown={(e) => {
          if ((e.ctrlKey || e.metaKey) && e.key === 'z') {
            e.preventDefault();
            undo();
          } else if (e.key === 'Escape' || e.key === 'Delete') {
            clear();
          }
        }}
      />
      <div className="pad-buttons">
        <button type="button" onClick={undo} disabled={strokeCount === 0} aria-keyshortcuts="Control+Z">
          Undo
        </button>
        <button type="button" onClick={clear} disabled={strokeCount === 0} aria-keyshortcuts="Escape">
          Clear
        </button>
      </div>
    </div>
  );
}

/** Re-renders only when its own props change, not on every prediction. */
export const DrawingPad = memo(DrawingPadView);
