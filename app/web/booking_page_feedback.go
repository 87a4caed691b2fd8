package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// feedbackMove names the feedback form in a moveFailure.
const feedbackMove = "feedback"

// feedbackSaved is what the caller is told once feedback is saved.
const feedbackSaved = "Thank you: your feedback is saved. Both organisations can see it."

// feedbackForm is the caller's side's feedback form: the rating as radios,
// "would you book again" for the booker, and a comment.
type feedbackForm struct {
	Side     string
	Question string
	Ratings  []app.Choice
	// BookAgain is the booker's yes/no question; "" for the employer.
	BookAgain  string
	CommentMax int
	// GivenAt is when the side last gave feedback, "" when it has not.
	GivenAt string
	// Values hold what is recorded, or what was typed into a refused form.
	Values map[string]string
}

// newFeedbackForm is side's feedback form on b at now, filled with what
// the side gave before; nil when the side may not give feedback.
func newFeedbackForm(b *app.Booking, side string, now time.Time) *feedbackForm {
	if app.FeedbackAllowed(b, side, now) != nil {
		return nil
	}
	f := &feedbackForm{Side: side, Question: app.FeedbackQuestion(side), Ratings: ratingChoices(side),
		CommentMax: app.FeedbackCommentMax, Values: map[string]string{}}
	if side == app.SideBooker {
		f.BookAgain = "Would you book " + b.EmployerName + " again?"
	}

	if fb, ok := b.Feedback[side]; ok {
		f.GivenAt = formatDateTime(fb.At)
		f.Values["rating"] = strconv.Itoa(fb.Rating)
		f.Values["comment"] = fb.Comment
		f.Values["would_book_again"] = strings.ToLower(yesNo(fb.WouldBookAgain))
	}
	return f
}

// side is the side whose form this is, "" for no form.
func (f *feedbackForm) side() string {
	if f == nil {
		return ""
	}
	return f.Side
}

// giveFeedback answers POST /bookings/:id/feedback with rating (1 to 5),
// an optional comment and, from the booker, would_book_again ("yes" or
// "no"). Refused feedback shows the booking's page again with the
// problems at the form.
func (s *Server) giveFeedback(c *fiber.Ctx) error {
	id := c.Params("id")
	if !app.ValidID(id) {
		return s.pageError(c, app.ErrNotFound("Booking"))
	}
	form := formValues(c, "rating", "comment", "would_book_again")
	in, err := feedbackInput(form)

	ctx, cancel := s.ctx(c)
	defer cancel()
	if err == nil {
		_, err = s.svc.GiveFeedback(ctx, actor(c), id, in)
	}
	if err != nil {
		return s.bookingFormRefused(c, id, &moveFailure{Move: feedbackMove, Form: form, Err: err})
	}
	return s.redirectWithFlash(c, "/bookings/"+id+"#feedback", feedbackSaved)
}

// feedbackInput turns the feedback form into the service's input. A
// rating that is missing or not a number is left at 0, for the service to
// say what to choose.
func feedbackInput(form map[string]string) (app.FeedbackInput, error) {
	in := app.FeedbackInput{Comment: form["comment"]}
	in.Rating, _ = strconv.Atoi(strings.TrimSpace(form["rating"]))

	switch form["would_book_again"] {
	case "":
	case "yes", "no":
		again := form["would_book_again"] == "yes"
		in.WouldBookAgain = &again
	default:
		return in, onField("would_book_again", "Choose yes or no.")
	}
	return in, nil
}
