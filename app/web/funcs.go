package web

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/encounters/encounters/app"
)

// funcs are the template functions every page may use.
func (s *Server) funcs() template.FuncMap {
	return template.FuncMap{
		"asset":       s.assets.url,
		"date":        formatDateTime,
		"day":         formatDay,
		"clock":       formatClock,
		"isoDate":     func(t time.Time) string { return t.In(app.London).Format("2006-01-02") },
		"label":       label,
		"choices":     choicesOf,
		"audience":    app.AudienceLabel,
		"audiences":   audienceList,
		"kindLabel":   kindLabel,
		"roleLabel":   roleLabel,
		"has":         hasValue,
		"plural":      plural,
		"km":          formatKm,
		"dict":        dict,
		"join":        strings.Join,
		"add":         func(a, b int) int { return a + b },
		"orgKinds":    func() []app.OrgKind { return app.OrgKinds },
		"signUpKinds": signUpKinds,
		"passwordMin": func() int { return app.PasswordMinLength },
	}
}

// formatDateTime shows an instant as people in England read it:
// "Tue 3 March 2026, 9:30am".
func formatDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return formatDay(t) + ", " + formatClock(t)
}

// formatDay shows the London date of t: "Tue 3 March 2026".
func formatDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(app.London).Format("Mon 2 January 2006")
}

// formatClock shows the London time of t: "9am", "9:30am", "midday".
func formatClock(t time.Time) string {
	t = t.In(app.London)
	switch {
	case t.Hour() == 12 && t.Minute() == 0:
		return "midday"
	case t.Hour() == 0 && t.Minute() == 0:
		return "midnight"
	case t.Minute() == 0:
		return t.Format("3pm")
	}
	return t.Format("3:04pm")
}

// vocabularies are the fixed lists pages label values from.
var vocabularies = map[string][]app.Choice{
	"type":     app.OfferTypes,
	"sector":   app.Sectors,
	"delivery": app.Deliveries,
	"access":   app.AccessFeatures,
	"keystage": app.KeyStages,
	"audience": app.KeyStages,
}

// label returns the words for value in the named list ("type", "sector",
// "delivery", "access", "keystage"): {{label "sector" .Sector}}.
func label(list, value string) string {
	return app.LabelOf(vocabularies[list], value)
}

// choicesOf returns the named list for a select or checkboxes.
func choicesOf(list string) []app.Choice {
	return vocabularies[list]
}

// audienceList shows audience codes in words, joining runs of years:
// ["y9","y10","y11","adults"] is "Years 9 to 11, Adults".
func audienceList(codes []string) string {
	var parts []string
	for i := 0; i < len(codes); i++ {
		y := app.YearOf(codes[i])
		if y == 0 {
			parts = append(parts, app.AudienceLabel(codes[i]))
			continue
		}
		j := i
		for j+1 < len(codes) && app.YearOf(codes[j+1]) == app.YearOf(codes[j])+1 {
			j++
		}
		switch {
		case j == i:
			parts = append(parts, "Year "+strconv.Itoa(y))
		case j == i+1: // two years read as a pair, not a range
			parts = append(parts, fmt.Sprintf("Years %d and %d", y, app.YearOf(codes[j])))
		default:
			parts = append(parts, fmt.Sprintf("Years %d to %d", y, app.YearOf(codes[j])))
		}
		i = j
	}
	return strings.Join(parts, ", ")
}

var kindLabels = map[app.OrgKind]string{
	app.KindEmployer:    "Employer",
	app.KindSchool:      "School",
	app.KindCollege:     "College",
	app.KindProvider:    "Adult-learning or employability provider",
	app.KindSponsor:     "Sponsor",
	app.KindCoordinator: "County coordinator",
}

// kindLabel shows an organisation kind in words.
func kindLabel(k app.OrgKind) string {
	if l, ok := kindLabels[k]; ok {
		return l
	}
	return string(k)
}

// signUpKinds are the kinds a person may choose when signing up.
func signUpKinds() []app.OrgKind {
	return []app.OrgKind{app.KindEmployer, app.KindSchool, app.KindCollege,
		app.KindProvider, app.KindSponsor}
}

// roleLabel shows a member role in words.
func roleLabel(role string) string {
	if role == app.RoleOwner {
		return "Owner"
	}
	return "Member"
}

// hasValue reports whether list holds value, for ticking checkboxes.
func hasValue(list []string, value string) bool {
	for _, v := range list {
		if v == value {
			return true
		}
	}
	return false
}

// plural returns "1 offer" or "3 offers".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// formatKm shows a distance: "800 m", "4.2 km", "23 km".
func formatKm(km float64) string {
	switch {
	case km < 1:
		return fmt.Sprintf("%d m", int(km*1000+0.5)/10*10)
	case km < 10:
		return strconv.FormatFloat(km, 'f', 1, 64) + " km"
	}
	return strconv.Itoa(int(km+0.5)) + " km"
}

// dict builds a map from pairs, to pass several values to a partial:
// {{template "field_error" dict "Field" "email" "Errors" .Errors}}.
func dict(pairs ...any) (map[string]any, error) {
	if len(pairs)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}

	m := make(map[string]any, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		k, ok := pairs[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", pairs[i])
		}
		m[k] = pairs[i+1]
	}
	return m, nil
}
