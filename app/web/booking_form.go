package web

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// takePartBook is how members of schools, colleges and providers take
// part on an offer's page: a booking form under each upcoming session.
const takePartBook = "book"

// bookingForm is the "Book places" form of one session on an offer's
// page. Its inputs have ids that start with ID, so that several forms can
// share the page and the error summary can link to the right one.
type bookingForm struct {
	ID         string
	Action     string
	When       string
	PlacesLeft string
	Full       bool
	// Groups are who the places may be for, limited to the offer's
	// audience; Years the school years the offer is for.
	Groups []app.Choice
	Years  []app.Choice
	Form   bookingFormInput
	// Key is the idempotency key made when the form was drawn: sending the
	// form twice makes one booking.
	Key     string
	Errors  map[string]string
	Problem string
	// Open shows the form unfolded (it failed).
	Open bool
}

// Field is the id of one of the form's inputs.
func (f bookingForm) Field(name string) string { return f.ID + "-" + name }

// bookingFormInput is the booking form as typed.
type bookingFormInput struct {
	Places   string
	Group    string
	Years    []string
	Details  string
	Key      string
	Waitlist bool
}

// bookingFailure is a booking form that the service refused, to show
// again on the offer page at its session.
type bookingFailure struct {
	SessionID string
	Form      bookingFormInput
	Err       error
}

// readBookingForm copies the posted booking form.
func readBookingForm(c *fiber.Ctx) bookingFormInput {
	return bookingFormInput{
		Places:   strings.TrimSpace(c.FormValue("places")),
		Group:    c.FormValue("group"),
		Years:    formList(c, "year_groups"),
		Details:  c.FormValue("details"),
		Key:      c.FormValue("idempotency_key"),
		Waitlist: c.FormValue("waitlist") != "",
	}
}

// input turns the form into the service's BookingInput. Places and year
// groups are checked here, as typed; the service checks the rest.
func (f bookingFormInput) input() (app.BookingInput, error) {
	in := app.BookingInput{Group: f.Group, Details: f.Details, IdempotencyKey: f.Key,
		Waitlist: f.Waitlist}
	var p app.Problems

	places, err := strconv.Atoi(f.Places)
	switch {
	case f.Places == "":
		p.Add("places", "Enter how many places you need, like 30.")
	case err != nil:
		p.Add("places", "Places must be a whole number, like 30.")
	default:
		in.Places = places
	}

	for _, v := range f.Years {
		year, err := strconv.Atoi(v)
		if err != nil {
			p.Add("year_groups", "Choose year groups from the list.")
			break
		}
		in.YearGroups = append(in.YearGroups, year)
	}
	return in, p.Err()
}

// bookingFields are the form's inputs that errors can be shown at.
var bookingFields = map[string]bool{"places": true, "group": true, "year_groups": true,
	"details": true, "waitlist": true}

// newBookingForm is the form for one session of o, as a member of org
// sees it, filled with in: only the groups and years org teaches.
func newBookingForm(o *app.Offer, s app.Session, org *app.Organisation, in bookingFormInput) bookingForm {
	view := newSessionView(s)
	f := bookingForm{
		ID: "book-" + s.ID, Action: "/sessions/" + s.ID + "/book", When: view.When,
		PlacesLeft: view.PlacesLeft, Full: view.Full, Groups: bookingGroups(o.Audience, org),
		Years: yearChoices(o.Audience, org), Form: in, Key: app.NewID("idem"),
		Errors: map[string]string{},
	}
	if f.Form.Group == "" {
		f.Form.Group = defaultGroup(f.Groups, org.Kind)
	}
	if f.Full && in.Places == "" {
		f.Form.Waitlist = true
	}
	return f
}

// bookingGroups are the groups an offer's audience allows org: pupils for
// the school years it teaches, teachers, and adults when listed and org
// teaches them (schools do not).
func bookingGroups(audience []string, org *app.Organisation) []app.Choice {
	var groups []app.Choice
	if len(yearChoices(audience, org)) > 0 {
		groups = append(groups, app.Choice{Value: app.GroupPupils, Label: "Pupils or students"})
	}
	if hasValue(audience, app.AudienceTeachers) {
		groups = append(groups, app.Choice{Value: app.GroupTeachers, Label: "Teachers"})
	}
	if hasValue(audience, app.AudienceAdults) && org.Teaches(app.AudienceAdults) {
		groups = append(groups, app.Choice{Value: app.GroupAdults, Label: "Adults"})
	}
	return groups
}

// yearChoices are the school years of an audience that org teaches, as
// year-group ticks.
func yearChoices(audience []string, org *app.Organisation) []app.Choice {
	var years []app.Choice
	for _, code := range app.Audiences {
		if y := app.YearOf(code); y > 0 && hasValue(audience, code) && org.Teaches(code) {
			years = append(years, app.Choice{Value: strconv.Itoa(y), Label: app.AudienceLabel(code)})
		}
	}
	return years
}

// defaultGroup picks the group a form starts with: adults for providers
// when the offer takes them, otherwise the first allowed.
func defaultGroup(groups []app.Choice, kind app.OrgKind) string {
	if len(groups) == 0 {
		return ""
	}
	for _, g := range groups {
		if kind == app.KindProvider && g.Value == app.GroupAdults {
			return g.Value
		}
	}
	return groups[0].Value
}

// addBookingData adds the booking forms of o's upcoming sessions to an
// offer page's data, for a member who may book. A failed form is shown
// again with its values and errors, which the error summary links to.
func addBookingData(data fiber.Map, o *app.Offer, sessions []app.Session, org *app.Organisation,
	failed *bookingFailure) {
	forms := make([]bookingForm, 0, len(sessions))
	for _, s := range sessions {
		if failed == nil || failed.SessionID != s.ID {
			forms = append(forms, newBookingForm(o, s, org, bookingFormInput{}))
			continue
		}
		f := newBookingForm(o, s, org, failed.Form)
		data["ErrorList"] = f.showErrors(failed.Err)
		forms = append(forms, f)
	}
	if failed != nil && data["ErrorList"] == nil {
		data["ErrorList"] = []app.FieldError{{Message: app.ErrorMessage(failed.Err)}}
	}
	data["BookingForms"] = forms
}

// showErrors puts the problems of err at the form's inputs and returns
// them for the error summary, each linking to its input (or the form).
func (f *bookingForm) showErrors(err error) []app.FieldError {
	f.Open = true
	list := app.FieldErrors(err)
	if len(list) == 0 {
		list = []app.FieldError{{Message: app.ErrorMessage(err)}}
	}

	summary := make([]app.FieldError, 0, len(list))
	for _, fe := range list {
		link := f.ID
		if bookingFields[fe.Field] {
			link = f.Field(fe.Field)
			if _, seen := f.Errors[fe.Field]; !seen {
				f.Errors[fe.Field] = fe.Message
			}
		} else if f.Problem == "" {
			f.Problem = fe.Message
		}
		summary = append(summary, app.FieldError{Field: link, Message: fe.Message})
	}
	return summary
}

// renderPublicOffer shows an offer's page to someone outside its
// organisation: its upcoming sessions and how to take part, with a
// booking form per session for members who may book. failed, when not
// nil, is a booking form to show again with its problems.
func (s *Server) renderPublicOffer(c *fiber.Ctx, status int, o *app.Offer, failed *bookingFailure) error {
	a := actor(c)
	upcoming := o.Upcoming(s.marketNow())
	data := fiber.Map{"Title": o.Title, "Offer": newOfferCard(o, upcoming, nil),
		"TakePart": takePartFor(a), "SignInToBook": signInToBook(o.ID)}

	if data["TakePart"] == takePartBook { // a is a member who books
		ctx, cancel := s.ctx(c)
		defer cancel()
		org, err := s.svc.GetOrganisation(ctx, a, a.OrgID)
		if err != nil {
			return s.pageError(c, err)
		}
		if why := app.WhyCannotBook(o, org); why != "" {
			data["TakePart"], data["NotForYou"] = "not_for_you", why
		} else {
			addBookingData(data, o, upcoming, org, failed)
		}
	}
	return s.render(c, status, "offers/show", data)
}

// signInToBook is the sign-in page, coming back to the offer afterwards.
func signInToBook(offerID string) string {
	return "/sign-in?next=" + url.QueryEscape("/offers/"+offerID)
}
