export type ToastKind = 'success' | 'error' | 'info';

export interface Toast {
  id: number;
  kind: ToastKind;
  text: string;
}

/** Short-lived messages in the corner; each disappears after a few seconds. */
class Toasts {
  items = $state<Toast[]>([]);
  #next = 1;

  show(text: string, kind: ToastKind = 'info', ms = 4000) {
    const toast = { id: this.#next++, kind, text };
    this.items = [...this.items.slice(-3), toast];
    setTimeout(() => this.dismiss(toast.id), ms);
  }

  success(text: string) {
    this.show(text, 'success');
  }

  error(text: string) {
    this.show(text, 'error', 6000);
  }

  dismiss(id: number) {
    this.items = this.items.filter((t) => t.id !== id);
  }
}

export const toasts = new Toasts();
