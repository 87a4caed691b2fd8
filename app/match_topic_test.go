package app

import "testing"

// A topic counts only by its telling words, matched whole: "Year 10" is not
// a topic, and "care" is not found inside "careers".
func TestTopicIgnoresCommonWordsAndPartWords(t *testing.T) {
	o := &Offer{Title: "Careers in logistics", Description: "A talk for Year 10 about warehouse robotics."}
	cases := []struct {
		topic string
		want  bool
	}{
		{"robotics for Year 10", true},
		{"a talk for Year 10", false},
		{"care", false},
	}
	for _, tc := range cases {
		t.Run(tc.topic, func(t *testing.T) {
			var m Match
			scoreTopic(&m, &Request{Topic: tc.topic}, o)
			if got := len(m.Reasons) == 1; got != tc.want {
				t.Errorf("topic %q gave reasons %q", tc.topic, m.Reasons)
			}
		})
	}
}
