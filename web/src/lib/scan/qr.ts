// Loaded with the scan (dynamic import), like ocr.ts.
import jsQR from 'jsqr';

/** The text of the QR code on the image, or null when there is none. */
export function readQrCode(image: HTMLCanvasElement): string | null {
  const context = image.getContext('2d', { willReadFrequently: true });
  if (!context) return null;
  const { data, width, height } = context.getImageData(0, 0, image.width, image.height);
  return jsQR(data, width, height, { inversionAttempts: 'attemptBoth' })?.data || null;
}
