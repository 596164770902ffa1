package scenes

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"inferplay/lesson"
	"inferplay/render"
)

// The memory scene's caption, sums and keys are made from one budget: at
// every beat, for every user count the slider reaches and at every moment
// of the animation, they must agree about who fits.
func TestKVCacheNeverContradictsItself(t *testing.T) {
	kit, err := render.NewKit(render.Dark())
	if err != nil {
		t.Fatal(err)
	}
	s := NewKVCache(kit, 42)
	for beat := range kvBeats {
		s.SetBeat(beat)
		for users := lesson.MinUsers; users <= lesson.MaxUsers; users++ {
			k := kvBeats[beat]
			k.Users = users
			s.SetSetup(k)
			caption := s.Beats()[beat]
			where := fmt.Sprintf("beat %d, %d users", beat+1, users)
			if beat == kvBeatPaged {
				checkPagedWords(t, s, caption, where)
				continue
			}
			b := s.budget
			for at := time.Duration(0); at <= kvFill+kvSpill+time.Second; at += 250 * time.Millisecond {
				s.anim = at
				f := s.frame()
				if f.verdict != fmt.Sprintf("%d fit", b.FitUsers) {
					t.Fatalf("%s: the sums say %q, the budget %d", where, f.verdict, b.FitUsers)
				}
				for _, sw := range f.cpuKey {
					if b.Spilled > 0 && strings.Contains(sw.label, "every user fits") {
						t.Fatalf("%s at %v: the key says %q while %d spill", where, at, sw.label, b.Spilled)
					}
				}
				if f.filled > b.Resident || f.landed > b.Spilled {
					t.Fatalf("%s at %v: %d filled of %d, %d landed of %d", where, at, f.filled, b.Resident, f.landed, b.Spilled)
				}
			}
			if beat == 0 {
				continue
			}
			if b.Spilled > 0 && (allFitWords.MatchString(caption) || strings.Contains(caption, "user fits")) {
				t.Fatalf("%s: %d of %d fit, yet the caption says %q", where, b.FitUsers, users, caption)
			}
			if b.Spilled == 0 && (strings.Contains(caption, "only") || strings.Contains(caption, "wait")) {
				t.Fatalf("%s: every user fits, yet the caption says %q", where, caption)
			}
			if !strings.Contains(caption, fmt.Sprint(b.FitUsers)) {
				t.Fatalf("%s: the caption %q does not say that %d fit", where, caption, b.FitUsers)
			}
		}
	}
}

// allFitWords is how a caption says that everyone fits.
var allFitWords = regexp.MustCompile(`\ball \d+ (users )?fit`)

func checkPagedWords(t *testing.T, s *KVCache, caption, where string) {
	t.Helper()
	p, u := s.paging, s.setup.Users
	w := s.pagedWords()
	for _, say := range []string{fitOf(p.ReservedResident, u), fitOf(p.PagedResident, u)} {
		if !strings.Contains(caption, say) {
			t.Fatalf("%s: the caption %q does not say %q", where, caption, say)
		}
	}
	if w.reservedStatus != fitOf(p.ReservedResident, u) || !strings.HasPrefix(w.pagedStatus, fitOf(p.PagedResident, u)) {
		t.Fatalf("%s: the panels say %q and %q", where, w.reservedStatus, w.pagedStatus)
	}
	if w.verdicts[0].big != fmt.Sprint(p.ReservedFit) || w.verdicts[1].big != fmt.Sprint(p.PagedFit) {
		t.Fatalf("%s: the sums say %s and %s fit, the paging %d and %d", where, w.verdicts[0].big, w.verdicts[1].big, p.ReservedFit, p.PagedFit)
	}
	if p.ReservedFit != s.budget.FitUsers {
		t.Fatalf("%s: %d fit reserved here, %d in the beats before", where, p.ReservedFit, s.budget.FitUsers)
	}
	if p.PagedResident > 0 && (len(w.rows) != len(p.Table) || !strings.Contains(w.tableTitle, fmt.Sprint(p.Shown+1))) {
		t.Fatalf("%s: the table has %d rows for %d blocks", where, len(w.rows), len(p.Table))
	}
}
