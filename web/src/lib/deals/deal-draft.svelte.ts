import { numberOrNull } from '#lib/admin/number-draft.js';
import { isoDay } from '#lib/utils/clock.svelte.js';

interface ItemDraft {
  name: string;
  quantity: string;
  unitPrice: string;
}

interface InstalmentDraft {
  dueOn: string;
  amount: string;
  paid: boolean;
}

const cents = (n: number) => Math.round(n * 100) / 100;

/** The order a lead is won with, as its form holds it: product lines and the payment plan. */
export class DealDraft {
  contractNo = $state('');
  signedOn = $state(isoDay());
  items = $state<ItemDraft[]>([{ name: '', quantity: '1', unitPrice: '' }]);
  instalments = $state<InstalmentDraft[]>([{ dueOn: isoDay(), amount: '', paid: false }]);

  /** The order's amount: quantity × unit price over the lines. */
  get total(): number {
    return cents(this.items.reduce((sum, i) => sum + (numberOrNull(i.quantity) ?? 0) * (numberOrNull(i.unitPrice) ?? 0), 0));
  }

  /** What the payment plan adds up to. */
  get planned(): number {
    return cents(this.instalments.reduce((sum, i) => sum + (numberOrNull(i.amount) ?? 0), 0));
  }

  addItem(): void {
    this.items.push({ name: '', quantity: '1', unitPrice: '' });
  }

  addInstalment(): void {
    this.instalments.push({ dueOn: isoDay(), amount: String(Math.max(0, cents(this.total - this.planned))), paid: false });
  }

  /** Splits the total evenly over the instalments (the last takes the cents left over). */
  split(): void {
    const n = this.instalments.length;
    const each = Math.floor((this.total / n) * 100) / 100;
    this.instalments.forEach((i, k) => (i.amount = String(k === n - 1 ? cents(this.total - each * (n - 1)) : each)));
  }

  /** As `POST /api/leads/:id/stage` takes it. */
  toInput() {
    return {
      contractNo: this.contractNo.trim(),
      signedOn: this.signedOn,
      items: this.items.map((i) => ({ name: i.name.trim(), quantity: numberOrNull(i.quantity) ?? 0, unitPrice: numberOrNull(i.unitPrice) ?? 0 })),
      instalments: this.instalments.map((i) => ({ dueOn: i.dueOn, amount: numberOrNull(i.amount) ?? 0, paid: i.paid })),
    };
  }
}
