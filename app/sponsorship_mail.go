package app

import (
	"context"
	"fmt"
	"strconv"
)

// Sponsorship letter kinds (templates in emails/).
const (
	LetterSponsorReceipt  = "sponsorship_receipt"
	LetterSponsorNotice   = "sponsorship_notice"
	LetterSponsorRefunded = "sponsorship_refunded"
	// LetterSponsorCorrected tells the sponsor and the organiser that a
	// pledge marked received was not: it is pledged again or withdrawn.
	LetterSponsorCorrected = "sponsorship_corrected"
	// LetterSponsorFailed tells a sponsor that their card or bank payment
	// did not go through, so nothing was taken.
	LetterSponsorFailed = "sponsorship_failed"
)

// announceSponsorship queues the emails a sponsorship's state calls for:
// a receipt to the sponsor and a notice to the organiser's members who
// want sponsorship mail, once money is paid or support received, a note
// to the sponsor whose payment failed, and a note to the sponsor for each
// refunded total. Job ids say what happened
// ("sponsorship/ID/receipt", "sponsorship/ID/refunded/TOTAL"), so
// announcing a state twice queues nothing new, and announcing again after
// a failure queues what was missed. refundPence is the amount of the
// refund just made, which the refund note names beside the total
// refunded (in the letter's Reason, as FormatPence shows it); 0 when it is
// not known, and the note gives the total only. Without a Composer
// nothing is queued.
func (s *Service) announceSponsorship(ctx context.Context, e *CivicEvent, sp *Sponsorship, refundPence int64) error {
	if s.Compose == nil {
		return nil
	}
	sponsor := &User{Email: sp.Email, Name: sp.Name}
	letter := func(kind string) Letter {
		return Letter{Kind: kind, Link: s.BaseURL + EventPath(e.ID), Event: e, Sponsorship: sp}
	}

	if sp.State == SponsorPaid || sp.State == SponsorReceived {
		prefix := "sponsorship/" + sp.ID
		if sp.Corrections > 0 { // received again after a correction
			prefix += "/" + strconv.Itoa(sp.Corrections)
		}
		if err := s.queueLetter(ctx, prefix+"/receipt", sponsor, MailSponsors, letter(LetterSponsorReceipt)); err != nil {
			return err
		}
		if err := s.queueToOrg(ctx, e.OrgID, prefix+"/notice", MailSponsors, letter(LetterSponsorNotice)); err != nil {
			return err
		}
	}
	if sp.State == SponsorFailed {
		return s.queueLetter(ctx, "sponsorship/"+sp.ID+"/failed", sponsor, MailSponsors, letter(LetterSponsorFailed))
	}
	if sp.State == SponsorPaid && sp.RefundedPence > 0 {
		id := fmt.Sprintf("sponsorship/%s/refunded/%d", sp.ID, sp.RefundedPence)
		l := letter(LetterSponsorRefunded)
		if refundPence > 0 && refundPence <= sp.RefundedPence {
			l.Reason = FormatPence(refundPence)
		}
		return s.queueLetter(ctx, id, sponsor, MailSponsors, l)
	}
	return nil
}

// announceCorrection queues the emails that put right a receipt and a
// notice: the pledge marked received is now pledged again or withdrawn.
func (s *Service) announceCorrection(ctx context.Context, e *CivicEvent, sp *Sponsorship) error {
	if s.Compose == nil {
		return nil
	}
	id := "sponsorship/" + sp.ID + "/corrected/" + strconv.Itoa(sp.Corrections)
	l := Letter{Kind: LetterSponsorCorrected, Link: s.BaseURL + EventPath(e.ID), Event: e, Sponsorship: sp}
	if err := s.queueLetter(ctx, id, &User{Email: sp.Email, Name: sp.Name}, MailSponsors, l); err != nil {
		return err
	}
	return s.queueToOrg(ctx, e.OrgID, id+"/notice", MailSponsors, l)
}
