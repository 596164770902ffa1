package game

import (
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
)

// A frame (update and draw, the CPU's side) of each teaching scene at its
// busiest beat: the prompt scene on a long prompt, the memory scene with
// users spilling to CPU memory, the contention scene under FCFS, the
// batching and chunking scenes playing both runs, the roofline's curves,
// the sharing scene's duel at its first moment, the cluster scene playing
// its routing and disaggregation beats.
func BenchmarkSceneFrame(b *testing.B) {
	for _, tc := range []struct {
		scene string
		beat  int
	}{{"prompt", 3}, {"kvcache", 2}, {"contention", 1}, {"batching", 1}, {"chunking", 1}, {"roofline", 1}, {"sharing", 0}, {"cluster", 0}, {"cluster", 2}} {
		b.Run(tc.scene, func(b *testing.B) {
			g := tourGame(b, tc.scene, tc.beat)
			img := ebiten.NewImage(1920, 1080)
			for range 30 {
				g.Frame(time.Second / 60)
				g.drawScene(img)
			}
			_ = img.At(0, 0) // the warm-up's draws, done before timing
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if i%600 == 0 {
					// Start the beat again so that it stays busy.
					g.tour.scene().SetBeat(tc.beat)
				}
				g.Frame(time.Second / 60)
				g.drawScene(img)
				if i%64 == 63 {
					// Flush the command queue now and then, off the clock:
					// under Xvfb the GPU is a software rasterizer that
					// takes some 20 ms a frame, which says nothing of the
					// scene's own cost.
					b.StopTimer()
					_ = img.At(0, 0)
					b.StartTimer()
				}
			}
		})
	}
}
