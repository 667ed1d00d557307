import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => cleanup());

// jsdom has no PointerEvent; this one carries what the app reads (which pointer, of which kind, where). Node-only
// test files (no window) need none.
if (typeof window !== 'undefined' && typeof window.PointerEvent === 'undefined') {
  class PointerEventForTests extends MouseEvent {
    readonly pointerId: number;
    readonly pointerType: string;
    constructor(type: string, init: PointerEventInit = {}) {
      super(type, init);
      this.pointerId = init.pointerId ?? 1;
      this.pointerType = init.pointerType ?? 'mouse';
    }
  }
  window.PointerEvent = PointerEventForTests as unknown as typeof PointerEvent;
}
