import { ConsentPanel } from '@/features/consent/components/ConsentPanel';
import { GuestPrivacyActions } from '@/features/consent/components/GuestPrivacyActions';
import { GuestCostsPanel } from '@/features/spending/components/GuestCostsPanel';
import type { GuestPanelsProps } from '@/lib/slots';

/** The foot of the guest sidebar: what the guest cost, their consents, their data (export, erasure). */
export function GuestPanels({ guestId, guestName, currentBookingId }: GuestPanelsProps) {
  return (
    <>
      <GuestCostsPanel guestId={guestId} currentBookingId={currentBookingId} />
      <ConsentPanel guestId={guestId} />
      <GuestPrivacyActions guestId={guestId} name={guestName} />
    </>
  );
}
