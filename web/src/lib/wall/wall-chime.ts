/** One audio context for the screen's life: a TV that plays a chime an hour must not pile them up. */
let context: AudioContext | undefined;

/**
 * A short rising chime (C5 E5 G5 C6) made with WebAudio, no audio file. Browsers may keep audio
 * muted until the page was interacted with; a TV started in kiosk mode with autoplay allowed plays it.
 */
export function playChime(): void {
  try {
    context ??= new AudioContext();
    if (context.state === 'suspended') void context.resume();
    const start = context.currentTime + 0.05;
    [523.25, 659.25, 783.99, 1046.5].forEach((frequency, i) => {
      const oscillator = context!.createOscillator();
      const gain = context!.createGain();
      oscillator.type = 'triangle';
      oscillator.frequency.value = frequency;
      const at = start + i * 0.12;
      gain.gain.setValueAtTime(0, at);
      gain.gain.linearRampToValueAtTime(0.25, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.001, at + 0.6);
      oscillator.connect(gain).connect(context!.destination);
      oscillator.start(at);
      oscillator.stop(at + 0.65);
    });
  } catch {
    // No audio device: the celebration is seen, not heard.
  }
}
