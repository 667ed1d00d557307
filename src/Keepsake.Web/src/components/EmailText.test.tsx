import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { EmailText } from './EmailText';

describe('EmailText', () => {
  it('offers line breaks after the @ and before each dot, and nowhere inside a name', () => {
    const { container } = render(<EmailText email="anna.maria@example.co.uk" />);

    expect(container.textContent).toBe('anna.maria@example.co.uk');
    expect(container.querySelector('.email')!.innerHTML).toBe('anna<wbr>.maria<wbr>@<wbr>example<wbr>.co<wbr>.uk');
  });
});
