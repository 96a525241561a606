package publicsuffix

import "testing"

// BenchmarkLoad is what the first lookup in a process costs: the table
// built from the embedded list.
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for range b.N {
		if _, err := parse(rulesText); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAtOrBelow(b *testing.B) {
	loaded()
	b.ReportAllocs()
	for range b.N {
		AtOrBelow("corp.example.co.uk")
	}
}
