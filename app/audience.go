package app

import (
	"fmt"
	"strconv"
	"strings"
)

// Audience codes: "y1" to "y13" for school years, "adults" and "teachers".
const (
	AudienceAdults   = "adults"
	AudienceTeachers = "teachers"
)

// Audiences lists every audience code in order.
var Audiences = func() []string {
	out := make([]string, 0, 15)
	for y := 1; y <= 13; y++ {
		out = append(out, "y"+strconv.Itoa(y))
	}
	return append(out, AudienceAdults, AudienceTeachers)
}()

// ParseAudience accepts "y9", "Y9", "9", "year 9", "adults" or "teachers"
// and returns the canonical code.
func ParseAudience(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "year")
	s = strings.TrimSpace(s)
	switch s {
	case "adult", AudienceAdults:
		return AudienceAdults, true
	case "teacher", AudienceTeachers:
		return AudienceTeachers, true
	}
	s = strings.TrimPrefix(s, "y")
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 13 {
		return "", false
	}
	return "y" + strconv.Itoa(n), true
}

// YearOf returns the school year of an audience code, or 0 for adults and
// teachers.
func YearOf(code string) int {
	if !strings.HasPrefix(code, "y") {
		return 0
	}
	n, _ := strconv.Atoi(code[1:])
	return n
}

// AudienceLabel is the code in words: "Year 9", "Adults", "Teachers".
func AudienceLabel(code string) string {
	switch code {
	case AudienceAdults:
		return "Adults"
	case AudienceTeachers:
		return "Teachers"
	}
	return fmt.Sprintf("Year %d", YearOf(code))
}

// KeyStage returns the search facet value for an audience code:
// "ks1" to "ks5", "adults" or "teachers".
func KeyStage(code string) string {
	switch y := YearOf(code); {
	case code == AudienceAdults || code == AudienceTeachers:
		return code
	case y <= 2:
		return "ks1"
	case y <= 6:
		return "ks2"
	case y <= 9:
		return "ks3"
	case y <= 11:
		return "ks4"
	default:
		return "ks5"
	}
}

// KeyStages lists the facet values of KeyStage in order, with labels.
var KeyStages = []Choice{
	{"ks1", "Key Stage 1 (Years 1-2)"},
	{"ks2", "Key Stage 2 (Years 3-6)"},
	{"ks3", "Key Stage 3 (Years 7-9)"},
	{"ks4", "Key Stage 4 (Years 10-11)"},
	{"ks5", "Key Stage 5 (Years 12-13)"},
	{AudienceAdults, "Adults"},
	{AudienceTeachers, "Teachers"},
}

// KeyStagesOf returns the distinct key stages covered by audience codes.
func KeyStagesOf(codes []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range codes {
		ks := KeyStage(c)
		if !seen[ks] {
			seen[ks] = true
			out = append(out, ks)
		}
	}
	return out
}

// Choice is one value of a fixed list, with its label for people.
type Choice struct {
	Value string
	Label string
}

// LabelOf returns the label of value in choices, or value itself.
func LabelOf(choices []Choice, value string) string {
	for _, c := range choices {
		if c.Value == value {
			return c.Label
		}
	}
	return value
}

// InChoices reports whether value is one of choices.
func InChoices(choices []Choice, value string) bool {
	for _, c := range choices {
		if c.Value == value {
			return true
		}
	}
	return false
}
