package lesson

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// A Token is one piece of text as a model reads it: a common word, a piece
// of a longer word, or a punctuation mark.
type Token struct {
	Text string
	// Word is true when a space comes before the token, so that it starts
	// a word; the pieces after it continue that word.
	Word bool
}

// The sample texts on the prompt scene's chips. The scene's counts and
// times are the engine's; these only make the chips read like a prompt and
// its answer.
const (
	PromptText = "You are a patient teaching assistant for an introductory course on computer systems. " +
		"Explain to a first-year student why a GPU that serves a large language model runs out of memory " +
		"when many people chat with it at once, and what the server can do about it. Keep the answer short, " +
		"give one everyday example, and define every technical term the first time you use it. " +
		"Assume they know what a processor is and have used a chatbot, but have never heard of batching, " +
		"paged memory or a KV cache. Use at most three short paragraphs, and end with one question they " +
		"could ask in the next lab session."
	AnswerText = "Each chat keeps a cache of keys and values for every token it has seen, so that the model " +
		"never rereads the whole conversation for each new word. The cache lives in GPU memory next to the " +
		"model's weights, and it grows with every token. Many long chats fill it up; then the server must make " +
		"some chats wait, move their caches to CPU memory and back, or drop them and recompute them later. " +
		"Think of a library with one reading table: every reader spreads out their notes, and when the table " +
		"is full, someone has to pack up before the next reader can sit down."
)

// Tokenize splits text into tokens as a subword tokenizer would, though by
// fixed rules rather than a learned vocabulary: common and short words are
// one token, longer words lose a common ending and are cut into pieces of
// at most five letters, and every punctuation mark is a token of its own.
// The same text always gives the same tokens.
func Tokenize(text string) []Token {
	var out []Token
	for _, word := range strings.Fields(text) {
		first := true
		add := func(s string) {
			out = append(out, Token{Text: s, Word: first})
			first = false
		}
		for run := range runs(word) {
			if !isLetter(rune(run[0])) {
				add(run)
				continue
			}
			for _, p := range pieces(run) {
				add(p)
			}
		}
	}
	return out
}

// runs yields a word's runs of letters and digits (with an apostrophe
// starting a new run, as in "model" "'s") and its punctuation marks one by
// one.
func runs(word string) func(yield func(string) bool) {
	return func(yield func(string) bool) {
		r := []rune(word)
		for i := 0; i < len(r); {
			j := i + 1
			switch {
			case r[i] == '\'' && j < len(r) && isLetter(r[j]):
				for j < len(r) && isLetter(r[j]) {
					j++
				}
			case isLetter(r[i]):
				for j < len(r) && isLetter(r[j]) {
					j++
				}
			}
			if !yield(string(r[i:j])) {
				return
			}
			i = j
		}
	}
}

func isLetter(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// commonWords are longer words a tokenizer trained on English would have
// learned whole.
var commonWords = map[string]bool{
	"assistant": true, "computer": true, "explain": true, "student": true, "language": true,
	"teaching": true, "patient": true, "systems": true, "everyday": true, "conversation": true, "example": true,
	"technical": true, "because": true, "between": true, "through": true, "without": true,
	"memory": true, "server": true, "someone": true, "library": true, "reading": true,
	"processor": true, "paragraph": true, "question": true, "session": true,
}

// suffixes are endings split off a long word, longest first.
var suffixes = []string{"ation", "ment", "ness", "tion", "ing", "ory", "ous", "ive", "ed", "er", "ly", "es", "s"}

// maxPiece is the most letters in a piece cut from a long word.
const maxPiece = 5

// pieces cuts a run of letters into tokens.
func pieces(w string) []string {
	lower := strings.ToLower(w)
	if utf8.RuneCountInString(w) <= 6 || commonWords[lower] || strings.HasPrefix(w, "'") {
		return []string{w}
	}
	for _, s := range suffixes {
		if stem := len(w) - len(s); strings.HasSuffix(lower, s) && utf8.RuneCountInString(w[:stem]) >= 3 {
			return append(cut(w[:stem]), w[stem:])
		}
	}
	return cut(w)
}

// cut splits a stem that is not a common word into nearly equal pieces of
// at most maxPiece letters, the longer ones first.
func cut(w string) []string {
	r := []rune(w)
	if len(r) <= 6 || commonWords[strings.ToLower(w)] {
		return []string{w}
	}
	n := (len(r) + maxPiece - 1) / maxPiece
	out := make([]string, n)
	for i := range n {
		out[i] = string(r[(i*len(r)+n-1)/n : ((i+1)*len(r)+n-1)/n])
	}
	return out
}

// SampleTokens are the first n tokens of a text, which starts over when
// it runs out: the chips of an n-token prompt or answer.
func SampleTokens(text string, n int) []Token {
	all := Tokenize(text)
	out := make([]Token, 0, max(n, 0))
	for i := range max(n, 0) {
		t := all[i%len(all)]
		if i > 0 && i%len(all) == 0 {
			t.Word = true // the text again, as a new sentence
		}
		out = append(out, t)
	}
	return out
}
