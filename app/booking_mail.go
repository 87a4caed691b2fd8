package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
)

// Letter kinds the booking service queues: the template names in emails/.
const (
	LetterBookingRequested = "booking_requested" // to the employer
	LetterBookingReceived  = "booking_received"  // to the booker
	LetterBookingConfirmed = "booking_confirmed"
	LetterBookingDeclined  = "booking_declined"
	LetterBookingCancelled = "booking_cancelled"
	LetterBookingDelivered = "booking_delivered"
	LetterBookingNoShow    = "booking_no_show"
	LetterChecklistMissing = "checklist_missing"
	LetterReminder7d       = "reminder_7d"
	LetterReminder1d       = "reminder_1d"
	LetterFeedbackRequest  = "feedback_request"
	LetterWaitlistJoined   = "waitlist_joined"
	LetterHoldOffered      = "hold_offered"
	LetterHoldLapsed       = "hold_lapsed"
	LetterWaitlistClosed   = "waitlist_closed"

	// LetterBookingRescheduled tells both sides that the session moved.
	LetterBookingRescheduled = "booking_rescheduled"
	// LetterAttendanceCorrected gives both sides the attendance recorded
	// again on a delivered booking.
	LetterAttendanceCorrected = "booking_attendance_corrected"
)

// Invite methods.
const (
	InviteRequest = "REQUEST"
	InviteCancel  = "CANCEL"
)

// composeMissing remembers that a Service without a Composer was noticed,
// so that the warning is logged once per process.
var composeMissing atomic.Bool

// plannedLetter is one letter a history entry sends to one side.
type plannedLetter struct {
	side   string
	kind   string
	invite string // InviteRequest, InviteCancel or ""
}

// eventLetters says who hears of a history entry, and how. The booker
// hears it was received and the employer that it waits for an answer;
// both sides hear of a confirmation (with the invite), a cancellation
// (withdrawing the invite if one was sent), attendance and its
// corrections, a no-show and the session moving (with the updated invite
// once confirmed); the booker hears of a decline. Checklist entries send
// nothing: the sweep chases missing items.
func eventLetters(ev BookingEvent) []plannedLetter {
	both := func(kind, invite string) []plannedLetter {
		return []plannedLetter{{SideBooker, kind, invite}, {SideEmployer, kind, invite}}
	}
	switch ev.Move {
	case MoveBooked:
		return []plannedLetter{{SideEmployer, LetterBookingRequested, ""}, {SideBooker, LetterBookingReceived, ""}}
	case MoveConfirm:
		return both(LetterBookingConfirmed, InviteRequest)
	case MoveDecline:
		return []plannedLetter{{SideBooker, LetterBookingDeclined, ""}}
	case MoveCancel:
		if ev.From == BookingConfirmed {
			return both(LetterBookingCancelled, InviteCancel)
		}
		return both(LetterBookingCancelled, "")
	case MoveAttendance:
		return both(LetterBookingDelivered, "")
	case MoveAttendanceCorrected:
		return both(LetterAttendanceCorrected, "")
	case MoveNoShow:
		return both(LetterBookingNoShow, "")
	case MoveRescheduled:
		if ev.To == BookingConfirmed {
			return both(LetterBookingRescheduled, InviteRequest)
		}
		return both(LetterBookingRescheduled, "")
	}
	return nil
}

// announceLogged announces b, logging a failure: the sweep queues what
// was missed.
func (s *Service) announceLogged(ctx context.Context, b *Booking) {
	if err := s.announce(ctx, b); err != nil {
		s.log().ErrorContext(ctx, "booking emails not queued", "booking_id", b.ID, "error", err)
	}
}

// announce queues the emails of every history entry after b.Announced,
// then records them as announced. The caller holds b's lock. Job ids name
// the booking, the entry (counted from 1) and the recipient, so queuing
// again after a failure sends nothing twice.
func (s *Service) announce(ctx context.Context, b *Booking) error {
	if b.Announced >= len(b.History) {
		return nil
	}
	ctx = context.WithoutCancel(ctx)
	members, err := s.bookingMembers(ctx, b)
	if err != nil {
		return err
	}

	for i := b.Announced; i < len(b.History); i++ {
		ev := b.History[i]
		for _, pl := range eventLetters(ev) {
			for _, u := range members[pl.side] {
				l := s.bookingLetter(b, pl.kind, u, pl.invite)
				l.Reason = ev.Reason
				l.Items = missingItems(BookingChecklist(b, s.now()), pl.side)
				id := "booking/" + b.ID + "/" + strconv.Itoa(i+1) + "/" + u.ID
				if err := s.queueLetter(ctx, id, u, MailBookings, l); err != nil {
					return err
				}
			}
		}
	}

	b.Announced = len(b.History)
	if err := s.Store.UpdateBooking(ctx, b); err != nil {
		return fmt.Errorf("record booking emails queued: %w", err)
	}
	return nil
}

// bookingMembers returns the members of each side of b.
func (s *Service) bookingMembers(ctx context.Context, b *Booking) (map[string][]*User, error) {
	booker, err := s.Store.ListMembers(ctx, b.OrgID)
	if err != nil {
		return nil, fmt.Errorf("booking emails: booker's members: %w", err)
	}
	employer, err := s.Store.ListMembers(ctx, b.EmployerID)
	if err != nil {
		return nil, fmt.Errorf("booking emails: employer's members: %w", err)
	}
	return map[string][]*User{SideBooker: booker, SideEmployer: employer}, nil
}

// bookingLetter is a letter of kind about b to u, with an invite when
// method is set.
func (s *Service) bookingLetter(b *Booking, kind string, u *User, method string) Letter {
	copied := *b
	l := Letter{Kind: kind, Link: s.BaseURL + "/bookings/" + b.ID, Booking: &copied}
	if kind == LetterFeedbackRequest {
		l.Link += "#feedback" // the page's feedback form
	}
	if method != "" {
		l.Invite = s.bookingInvite(b, method, u.OrgID)
		l.Invite.Attendees = []string{u.Email}
	}
	return l
}

// bookingInvite is the calendar entry of a booking, as the organisation
// orgID reads it: titled with the other side's name, one UID for its
// life, its Sequence, and times as instants (the emails package writes
// them in Europe/London).
func (s *Service) bookingInvite(b *Booking, method, orgID string) *Invite {
	return &Invite{
		UID: "booking-" + b.ID + "@encounters", Sequence: b.Sequence, Method: method,
		Summary: b.OfferTitle + " (" + otherSide(b, orgID) + ")",
		Description: fmt.Sprintf("%s by %s for %s: %d %s for %s.\n%s", LabelOf(OfferTypes, b.OfferType),
			b.EmployerName, b.OrgName, b.Places, plural(b.Places, "place", "places"), groupWords(b),
			s.BaseURL+"/bookings/"+b.ID),
		Location: b.Where, URL: s.BaseURL + "/bookings/" + b.ID,
		Start: b.Start, End: b.End, Cancelled: method == InviteCancel, Stamp: s.now().UTC(),
	}
}

// groupWords names who a booking is for: "Year 9 and Year 10", "teachers".
func groupWords(b *Booking) string {
	return audienceList(groupAudiences(b.Group, b.YearGroups))
}

// queueLetter composes a letter to u and queues it under jobID, unless u
// has turned the category off or the job is queued already. Non-essential
// mail carries u's one-click unsubscribe address. Without a Composer,
// nothing is queued.
func (s *Service) queueLetter(ctx context.Context, jobID string, u *User, category string, l Letter) error {
	if s.Compose == nil {
		if !composeMissing.Swap(true) {
			s.log().WarnContext(ctx, "no email templates configured: booking emails are not queued")
		}
		return nil
	}
	if !u.Wants(category) || strings.TrimSpace(u.Email) == "" {
		return nil
	}
	_, err := s.Store.GetJob(ctx, jobID)
	if err == nil {
		return nil
	}
	if ErrorCode(err) != ENotFound {
		return fmt.Errorf("queue %s email: %w", l.Kind, err)
	}

	l.To, l.Name, l.BaseURL, l.At = u.Email, u.Name, s.BaseURL, s.now()
	if NonEssential(category) {
		if l.Unsubscribe, err = s.unsubscribeLink(ctx, u, category); err != nil {
			return err
		}
	}
	msg, err := s.Compose.Compose(l)
	if err != nil {
		return fmt.Errorf("compose %s email: %w", l.Kind, err)
	}
	now := s.now().UTC()
	if _, err := s.Store.AddJob(ctx, &Job{ID: jobID, Message: msg, State: JobPending, NotBefore: now,
		CreatedAt: now}); err != nil {
		return fmt.Errorf("queue %s email: %w", l.Kind, err)
	}
	return nil
}

// queueToOrg queues a letter to every member of an organisation who wants
// the category, under job ids prefix + "/" + user id.
func (s *Service) queueToOrg(ctx context.Context, orgID, prefix, category string, l Letter) error {
	members, err := s.Store.ListMembers(ctx, orgID)
	if err != nil {
		return fmt.Errorf("queue %s email: members: %w", l.Kind, err)
	}
	for _, u := range members {
		if err := s.queueLetter(ctx, prefix+"/"+u.ID, u, category, l); err != nil {
			return err
		}
	}
	return nil
}
