package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// When the sweep sends what.
const (
	// reminderWeek and reminderDay are how long before a confirmed
	// session its reminders go; a booking confirmed within
	// reminderWeekLatest of its start gets only the one-day reminder.
	reminderWeek       = 7 * 24 * time.Hour
	reminderWeekLatest = 2 * 24 * time.Hour
	reminderDay        = 24 * time.Hour
	// reminderWeekQuiet is how old a booking's confirmation (or the news
	// of its session moving) must be before its 7-day reminder goes: that
	// email has just given the date and the invite, so a reminder on its
	// heels says nothing new.
	reminderWeekQuiet = 24 * time.Hour
	// feedbackUnrecorded is how long after a confirmed session ends, with
	// neither attendance nor a no-show recorded, its feedback request
	// waits: a day for either side to say what happened, so that a
	// no-show gets none. A delivered session's goes as soon as it ends.
	feedbackUnrecorded = 24 * time.Hour
	// feedbackLatest is how long after a session ends asking for feedback
	// is still worth it; a booking found later (after the sweep's list was
	// rebuilt, say) is marked as asked without an email.
	feedbackLatest = 14 * 24 * time.Hour
	// chaseAfter is how long a requested booking waits before the side
	// owing checklist items is chased, once a day.
	chaseAfter = 24 * time.Hour
	// orphanAge is how old a place claim of an id that never became a
	// booking or waitlist entry must be before the sweep gives it back.
	orphanAge = 10 * time.Minute
	// sweepHorizon is how far ahead the sweep looks for active bookings:
	// all of them.
	sweepHorizon = 10 * 365 * 24 * time.Hour
)

// SweepBookings does the booking work that is due, and repairs what a
// crash left half-done. Run every minute or so, from any number of app
// instances: job ids make every email once-only. It
//
//   - ends holds that ran out and passes their places on;
//   - queues the emails of history entries not yet announced;
//   - sends reminders 7 days and 1 day before a confirmed session, and
//     one feedback request per booking once a delivered session has
//     ended (a day after, for a confirmed one with nothing recorded);
//   - chases the side owing checklist items of a requested booking, at
//     most daily;
//   - gives back places claimed by bookings no longer active, by ended
//     waitlist entries and by attempts that never became either, brings
//     each session's places taken up to date, and offers free places to
//     its waitlist.
//
// It goes on past a failure and returns every failure joined.
func (s *Service) SweepBookings(ctx context.Context) error {
	run := &sweepRun{s: s, now: s.now(), members: map[string][]*User{}}
	sessions := map[string]string{} // session id → offer id
	errs := []error{run.lapseHolds(ctx, sessions)}

	bookings, err := s.Store.ListActiveBookings(ctx, run.now.Add(sweepHorizon))
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("sweep bookings: %w", err))...)
	}
	for _, b := range bookings {
		errs = append(errs, run.booking(ctx, b))
		sessions[b.SessionID] = b.OfferID
	}
	for sessionID, offerID := range sessions {
		errs = append(errs, run.session(ctx, offerID, sessionID))
	}
	return errors.Join(errs...)
}

// sweepRun is one run of the sweep, with the members of each
// organisation read once.
type sweepRun struct {
	s       *Service
	now     time.Time
	members map[string][]*User
}

// lapseHolds ends the holds that ran out, and notes the sessions of every
// held entry for the repair.
func (r *sweepRun) lapseHolds(ctx context.Context, sessions map[string]string) error {
	held, err := r.s.Store.ListHeldEntries(ctx)
	if err != nil {
		return fmt.Errorf("sweep holds: %w", err)
	}

	var errs []error
	for _, w := range held {
		sessions[w.SessionID] = w.OfferID
		if !r.now.Before(w.HoldUntil) {
			errs = append(errs, r.s.lapseHold(ctx, w.ID))
		}
	}
	return errors.Join(errs...)
}

// booking does what is due for one active booking.
func (r *sweepRun) booking(ctx context.Context, b *Booking) error {
	var errs []error
	if b.Announced < len(b.History) {
		errs = append(errs, r.s.reannounce(ctx, b.ID))
	}
	switch b.State {
	case BookingConfirmed:
		errs = append(errs, r.remind(ctx, b), r.requestFeedback(ctx, b))
	case BookingDelivered:
		errs = append(errs, r.requestFeedback(ctx, b))
	case BookingRequested:
		if !b.Start.After(r.now) {
			errs = append(errs, r.s.lapseUnanswered(ctx, b.ID))
			break
		}
		errs = append(errs, r.chase(ctx, b))
	}
	return errors.Join(errs...)
}

// reannounce queues the emails of a booking's unannounced entries.
func (s *Service) reannounce(ctx context.Context, id string) error {
	unlock := s.lock(lockBooking, id)
	defer unlock()
	b, err := s.Store.GetBooking(ctx, id)
	if err != nil {
		return fmt.Errorf("sweep: reannounce: %w", err)
	}
	return s.announce(ctx, b)
}

// remind sends a confirmed booking's reminder that is due, to both
// sides: the 1-day one within a day of the start, the 7-day one between 7
// and 2 days before once the confirmation is reminderWeekQuiet old. The
// emails say when from the time they are written ("today at 17:45", "on
// Monday 7 December, in 3 days").
func (r *sweepRun) remind(ctx context.Context, b *Booking) error {
	kind := ""
	quiet := r.now.Sub(lastConfirmed(b)) >= reminderWeekQuiet
	switch until := b.Start.Sub(r.now); {
	case until > 0 && until <= reminderDay:
		kind = LetterReminder1d
	case until > reminderWeekLatest && until <= reminderWeek && quiet:
		kind = LetterReminder7d
	default:
		return nil
	}

	// A reminder is per start time: a session moved after its reminder
	// went gets another for the new date.
	prefix := "booking/" + b.ID + "/" + kind + "/" + b.Start.UTC().Format("20060102T1504Z")
	return r.sendBoth(ctx, b, prefix, MailReminders, kind, InviteRequest, nil)
}

// lastConfirmed is when both sides were last sent the booking's date as
// confirmed: its confirmation, or the news of its session moving.
func lastConfirmed(b *Booking) time.Time {
	for i := len(b.History) - 1; i >= 0; i-- {
		if ev := b.History[i]; ev.To == BookingConfirmed {
			return ev.At
		}
	}
	return time.Time{}
}

// AwaitsFeedback reports whether the booking was delivered and the sweep
// has yet to ask both sides how it went.
func (b *Booking) AwaitsFeedback() bool {
	return b.State == BookingDelivered && !b.FeedbackRequested
}

// feedbackDue reports whether b's session took place long enough ago to
// ask how it went: once a delivered session has ended, or
// feedbackUnrecorded after a confirmed one ended.
func feedbackDue(b *Booking, now time.Time) bool {
	switch b.State {
	case BookingDelivered:
		return !now.Before(b.End)
	case BookingConfirmed:
		return !now.Before(b.End.Add(feedbackUnrecorded))
	}
	return false
}

// requestFeedback asks both sides of a booking whose session took place
// how it went, once, and marks the booking as asked, which takes a
// delivered one off the sweep's list. A booking no-showed, cancelled or
// declined is never asked.
func (r *sweepRun) requestFeedback(ctx context.Context, b *Booking) error {
	if b.FeedbackRequested || !feedbackDue(b, r.now) {
		return nil
	}

	// Read it again under the lock: a no-show may have been recorded since.
	unlock := r.s.lock(lockBooking, b.ID)
	defer unlock()
	b, err := r.s.Store.GetBooking(ctx, b.ID)
	if err != nil {
		return fmt.Errorf("sweep: feedback: %w", err)
	}
	if b.FeedbackRequested || !feedbackDue(b, r.now) {
		return nil
	}

	if r.now.Before(b.End.Add(feedbackLatest)) {
		prefix := "booking/" + b.ID + "/" + LetterFeedbackRequest
		for _, side := range []string{SideBooker, SideEmployer} {
			if _, given := b.Feedback[side]; given {
				continue // that side gave its feedback before being asked
			}
			if err := r.send(ctx, b, side, prefix, MailFeedback, LetterFeedbackRequest, "", nil); err != nil {
				return err
			}
		}
	}
	b.FeedbackRequested = true
	if err := r.s.Store.UpdateBooking(ctx, b); err != nil {
		return fmt.Errorf("sweep: record feedback asked: %w", err)
	}
	return nil
}

// chase emails the side owing checklist items of a requested booking that
// has waited chaseAfter, once a London day.
func (r *sweepRun) chase(ctx context.Context, b *Booking) error {
	if !b.Start.After(r.now) || r.now.Sub(b.CreatedAt) < chaseAfter {
		return nil
	}
	items := BookingChecklist(b, r.now)
	day := r.now.In(London).Format(DateLayout)

	var errs []error
	for _, side := range []string{SideEmployer, SideBooker} {
		if missing := missingItems(items, side); len(missing) > 0 {
			prefix := "booking/" + b.ID + "/" + LetterChecklistMissing + "/" + day
			errs = append(errs, r.send(ctx, b, side, prefix, MailReminders, LetterChecklistMissing, "", missing))
		}
	}
	return errors.Join(errs...)
}

func (r *sweepRun) sendBoth(ctx context.Context, b *Booking, prefix, category, kind, method string,
	items []ChecklistItem) error {
	return errors.Join(
		r.send(ctx, b, SideBooker, prefix, category, kind, method, items),
		r.send(ctx, b, SideEmployer, prefix, category, kind, method, items))
}

// send queues a letter about b to one side's members, under job ids
// prefix + "/" + user id. What was queued in full is remembered for the
// process, so that later runs skip it without reading the outbox.
func (r *sweepRun) send(ctx context.Context, b *Booking, side, prefix, category, kind, method string,
	items []ChecklistItem) error {
	memo := r.s.lockKey(prefix, side)
	if sweptRecently(memo, r.now) {
		return nil
	}
	orgID := b.OrgID
	if side == SideEmployer {
		orgID = b.EmployerID
	}
	members, err := r.orgMembers(ctx, orgID)
	if err != nil {
		return err
	}

	for _, u := range members {
		l := r.s.bookingLetter(b, kind, u, method)
		l.Items = items
		if err := r.s.queueLetter(ctx, prefix+"/"+u.ID, u, category, l); err != nil {
			return err
		}
	}
	rememberSwept(memo, r.now)
	return nil
}

func (r *sweepRun) orgMembers(ctx context.Context, orgID string) ([]*User, error) {
	if m, ok := r.members[orgID]; ok {
		return m, nil
	}
	m, err := r.s.Store.ListMembers(ctx, orgID)
	if err != nil {
		return nil, fmt.Errorf("sweep: members: %w", err)
	}
	r.members[orgID] = m
	return m, nil
}

// session gives back the places of a session that no one active holds,
// brings its places taken up to date and offers what is free to its
// waitlist.
func (r *sweepRun) session(ctx context.Context, offerID, sessionID string) error {
	o, err := r.s.Store.GetOffer(ctx, offerID)
	if ErrorCode(err) == ENotFound {
		return nil
	}
	if err != nil {
		return fmt.Errorf("sweep session %s: %w", sessionID, err)
	}
	ses, ok := o.Session(sessionID)
	if !ok {
		return nil
	}
	ref := refOf(o, ses)
	owners, err := r.s.readPlaces(ctx, ref)
	if err != nil {
		return fmt.Errorf("sweep session %s: %w", sessionID, err)
	}

	held := map[string][]int{}
	for place, owner := range owners {
		held[owner] = append(held[owner], place)
	}
	taken := len(owners)
	for owner, places := range held {
		if r.abandoned(ctx, owner) {
			r.s.log().WarnContext(ctx, "abandoned places given back", "session_id", ses.ID, "owner_id", owner,
				"places", len(places))
			r.s.releasePlaces(ctx, ses.ID, owner, places)
			taken -= len(places)
		}
	}

	if taken != ses.PlacesTaken {
		r.s.recountPlaces(ctx, ref)
	}
	if taken < ses.Places {
		return r.s.offerFreedPlaces(ctx, ref)
	}
	return nil
}

// abandoned reports whether the owner of place claims no longer holds
// them: a booking that is not active, a waitlist entry that is not held,
// or, after orphanAge, an id that is neither. When in doubt it answers
// false: places are then kept, never oversold.
func (r *sweepRun) abandoned(ctx context.Context, owner string) bool {
	b, err := r.s.Store.GetBooking(ctx, owner)
	if err == nil {
		return !b.Active()
	}
	if ErrorCode(err) != ENotFound {
		return false
	}

	w, err := r.s.Store.GetWaitlistEntry(ctx, owner)
	if err == nil {
		return w.State == WaitLeft || w.State == WaitLapsed
	}
	if ErrorCode(err) != ENotFound {
		return false
	}
	made, ok := idTime(owner)
	return ok && r.now.Sub(made) > orphanAge
}

// sweptMemo remembers, per Service and job-id prefix, what the sweep
// queued in full, so that a reminder due for days is read once. It only
// saves work: the job ids are what make emails once-only.
var sweptMemo = struct {
	sync.Mutex
	done   map[string]time.Time
	pruned time.Time
}{done: map[string]time.Time{}}

// sweptMemoLife is how long the memo keeps an entry: longer than any
// reminder window.
const sweptMemoLife = 8 * 24 * time.Hour

func sweptRecently(key string, now time.Time) bool {
	sweptMemo.Lock()
	defer sweptMemo.Unlock()
	at, ok := sweptMemo.done[key]
	return ok && now.Sub(at) < sweptMemoLife && !now.Before(at)
}

func rememberSwept(key string, now time.Time) {
	sweptMemo.Lock()
	defer sweptMemo.Unlock()
	if now.Sub(sweptMemo.pruned) > time.Hour || now.Before(sweptMemo.pruned) {
		for k, at := range sweptMemo.done {
			if now.Sub(at) >= sweptMemoLife || now.Before(at) {
				delete(sweptMemo.done, k)
			}
		}
		sweptMemo.pruned = now
	}
	sweptMemo.done[key] = now
}
