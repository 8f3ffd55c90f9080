// How Twilio counts segments: a body made only of GSM 03.38 characters is sent as GSM-7 (160 septets in one
// segment, 153 per segment when concatenated; the extension-table characters take two septets); anything
// else is sent as UCS-2 (70 UTF-16 code units in one segment, 67 per segment when concatenated).
// Independent of the service's own counter on purpose, so the tests compare two implementations.

const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION = '\f^{}\\[~]|€';

export interface SmsEncoding {
  encoding: 'GSM-7' | 'UCS-2';
  units: number;
  segments: number;
}

export function smsEncoding(body: string): SmsEncoding {
  let septets = 0;
  for (const ch of body) {
    if (GSM7_BASIC.includes(ch)) septets += 1;
    else if (GSM7_EXTENSION.includes(ch)) septets += 2;
    else {
      const units = body.length;
      return { encoding: 'UCS-2', units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
    }
  }
  return { encoding: 'GSM-7', units: septets, segments: septets <= 160 ? 1 : Math.ceil(septets / 153) };
}
