package app

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Limits of feedback.
const (
	FeedbackRatingMin  = 1
	FeedbackRatingMax  = 5
	FeedbackCommentMax = 2000
)

// FeedbackQuestion is what the rating of side answers, in words for
// people: for the booker how useful the session was for its learners, for
// the employer how well it went.
func FeedbackQuestion(side string) string {
	if side == SideEmployer {
		return "How well did it go?"
	}
	return "How useful was it for your learners?"
}

// FeedbackAllowed says why side may not give feedback on b at now, or
// nil when it may: only the two sides of a booking give it (EForbidden),
// only on a confirmed or delivered booking (EConflict for the rest), and
// only once its session has ended (EConflict).
func FeedbackAllowed(b *Booking, side string, now time.Time) error {
	switch {
	case side == "":
		return Errorf(EForbidden,
			"Only the employer and the organisation that booked can give feedback on a booking.")
	case b.State != BookingConfirmed && b.State != BookingDelivered:
		return Errorf(EConflict, "This booking %s, so there is no feedback to give.", stateWords(b.State))
	case now.Before(b.End):
		return Errorf(EConflict, "You can give feedback once the session has ended.")
	}
	return nil
}

// GiveFeedback records the actor's side's feedback on a booking whose
// session has ended (see FeedbackAllowed). The rating is needed; the
// comment is trimmed and at most FeedbackCommentMax characters; only the
// booker says whether it would book the employer again. Giving it again
// replaces what the side gave before; the same feedback again writes
// nothing. Another organisation's booking is ENotFound. Feedback goes in
// no history entry and sends no email.
func (s *Service) GiveFeedback(ctx context.Context, a *Actor, id string, in FeedbackInput) (*Booking, error) {
	b, unlock, err := s.lockedBooking(ctx, a, id)
	if err != nil {
		return nil, err
	}
	defer unlock()
	now, side := s.now(), b.SideOf(a.OrgID)
	if err := FeedbackAllowed(b, side, now); err != nil {
		return nil, err
	}
	fb, err := checkFeedback(side, in)
	if err != nil {
		return nil, err
	}
	if old, ok := b.Feedback[side]; ok && sameFeedback(old, fb) {
		return b, nil
	}

	fb.UserID, fb.OrgID, fb.At = a.UserID, a.OrgID, now.UTC()
	if b.Feedback == nil {
		b.Feedback = map[string]BookingFeedback{}
	}
	b.Feedback[side], b.UpdatedAt = fb, now.UTC()
	if err := s.Store.UpdateBooking(ctx, b); err != nil {
		return nil, fmt.Errorf("give feedback: %w", err)
	}
	s.log().InfoContext(ctx, "feedback given", "booking_id", b.ID, "side", side, "rating", fb.Rating)
	return b, nil
}

// checkFeedback returns side's feedback from in, or EInvalid naming each
// bad field.
func checkFeedback(side string, in FeedbackInput) (BookingFeedback, error) {
	var p Problems
	if in.Rating < FeedbackRatingMin || in.Rating > FeedbackRatingMax {
		what := "how useful it was for your learners"
		if side == SideEmployer {
			what = "how well it went"
		}
		p.Add("rating", "Choose %s, from %d to %d.", what, FeedbackRatingMin, FeedbackRatingMax)
	}

	comment := strings.TrimSpace(in.Comment)
	if n := len([]rune(comment)); n > FeedbackCommentMax {
		p.Add("comment", "Your comment must be %d characters or fewer (it has %d).", FeedbackCommentMax, n)
	}
	checkTextChars(&p, "comment", "Your comment", comment)
	if in.WouldBookAgain != nil && side != SideBooker {
		p.Add("would_book_again",
			"Only the organisation that booked says whether it would book this employer again.")
	}
	return BookingFeedback{Rating: in.Rating, Comment: comment, WouldBookAgain: in.WouldBookAgain}, p.Err()
}

// sameFeedback reports whether two feedbacks say the same thing.
func sameFeedback(a, b BookingFeedback) bool {
	sameAgain := (a.WouldBookAgain == nil) == (b.WouldBookAgain == nil) &&
		(a.WouldBookAgain == nil || *a.WouldBookAgain == *b.WouldBookAgain)
	return a.Rating == b.Rating && a.Comment == b.Comment && sameAgain
}
