/** A 28x28 digit (784 bytes, 0..255) drawn pixel for pixel, white ink on black; decorative unless it has a label. */
import { useEffect, useRef } from 'react';

export function DigitThumb({ pixels, label }: { pixels: Uint8Array; label?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    const image = ctx.createImageData(28, 28);
    for (let i = 0; i < 784; i++) image.data.set([pixels[i]!, pixels[i]!, pixels[i]!, 255], i * 4);
    ctx.putImageData(image, 0, 0);
  }, [pixels]);
  return label ? <canvas ref={canvas} width={28} height={28} role="img" aria-label={label} /> : <canvas ref={canvas} width={28} height={28} aria-hidden="true" />;
}
