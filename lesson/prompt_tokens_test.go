package lesson

import (
	"strings"
	"testing"
	"unicode"
)

// The tokens put back together are the text: nothing lost, nothing added,
// and a space exactly where a token starts a word.
func TestTokenizeKeepsTheText(t *testing.T) {
	for _, text := range []string{PromptText, AnswerText, "naïve façade, über-long wordsmithing!"} {
		var b strings.Builder
		for i, tok := range Tokenize(text) {
			if tok.Text == "" || strings.ContainsFunc(tok.Text, unicode.IsSpace) {
				t.Fatalf("token %d is %q", i, tok.Text)
			}
			if tok.Word && i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(tok.Text)
		}
		if got, want := b.String(), strings.Join(strings.Fields(text), " "); got != want {
			t.Errorf("tokens give\n%q\nwant\n%q", got, want)
		}
	}
}

// Common words are one token, long rare words several, punctuation its own.
func TestTokenizePieces(t *testing.T) {
	cases := map[string][]string{
		"the":          {"the"},
		"language":     {"language"},
		"introductory": {"intro", "duct", "ory"},
		"recompute":    {"recom", "pute"},
		"once,":        {"once", ","},
		"first-year":   {"first", "-", "year"},
		"model's":      {"model", "'s"},
		"paragraphs":   {"paragraph", "s"},
	}
	for text, want := range cases {
		var got []string
		for _, tok := range Tokenize(text) {
			got = append(got, tok.Text)
		}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%q: %q, want %q", text, got, want)
		}
	}
	for _, tok := range Tokenize(PromptText + " " + AnswerText) {
		if n := len([]rune(tok.Text)); n > 12 {
			t.Errorf("token %q is %d letters", tok.Text, n)
		}
	}
}

// A sample of any length has exactly that many tokens, the text's own and
// then the text again.
func TestSampleTokens(t *testing.T) {
	all := Tokenize(AnswerText)
	for _, n := range []int{0, 1, len(all), 3*len(all) + 5} {
		s := SampleTokens(AnswerText, n)
		if len(s) != n {
			t.Fatalf("%d tokens for %d", len(s), n)
		}
		for i, tok := range s {
			if tok.Text != all[i%len(all)].Text {
				t.Fatalf("token %d is %q, want %q", i, tok.Text, all[i%len(all)].Text)
			}
		}
	}
}
