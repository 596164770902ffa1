package lesson

import "testing"

// The scene's lesson holds in numbers: prefilled whole, the document
// stalls every running chat for one long iteration; chunked, the chats
// keep getting tokens (a much lower p99 gap between tokens) and the
// document's first token comes a little later.
func TestChunkingLesson(t *testing.T) {
	whole, err := RunChunking(false, 42)
	if err != nil {
		t.Fatal(err)
	}
	chunked, err := RunChunking(true, 42)
	if err != nil {
		t.Fatal(err)
	}
	if whole.ChatGap < 4*chunked.ChatGap || whole.ChatTBTP99 <= chunked.ChatTBTP99 {
		t.Fatalf("chat gaps: whole %s (p99 %s), chunked %s (p99 %s)", whole.ChatGap, whole.ChatTBTP99, chunked.ChatGap, chunked.ChatTBTP99)
	}
	if chunked.DocTTFT < whole.DocTTFT {
		t.Fatalf("the document's TTFT: chunked %s, whole %s: chunking should cost it", chunked.DocTTFT, whole.DocTTFT)
	}
	doc := len(whole.Rows) - 1
	if n := len(whole.Rows[doc].Prefill); n != 1 {
		t.Fatalf("whole: the document prefilled in %d iterations", n)
	}
	if n := len(chunked.Rows[doc].Prefill); n < ChunkingDocTokens()/ChunkingBudget {
		t.Fatalf("chunked: the document prefilled in %d iterations", n)
	}
	t.Logf("whole: gap %s p99 %s doc TTFT %s end %s; chunked: gap %s p99 %s doc TTFT %s end %s",
		whole.ChatGap, whole.ChatTBTP99, whole.DocTTFT, whole.End, chunked.ChatGap, chunked.ChatTBTP99, chunked.DocTTFT, chunked.End)
}
