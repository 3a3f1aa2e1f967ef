package data

// ToyWords is the 10-word vocabulary of the toy bigram model; token i is
// ToyWords[i].
var ToyWords = [ToyVocab]string{"the", "cat", "sat", "on", "mat", "dog", "ran", "to", "big", "red"}

// Toy word tokens.
const (
	toyThe int32 = iota
	toyCat
	toySat
	toyOn
	toyMat
	toyDog
	toyRan
	toyTo
	toyBig
	toyRed
)

// ToyCorpusSentences is the number of sentences in [ToyCorpus].
const ToyCorpusSentences = 1000

// ToyCorpus returns the pinned toy corpus: ToyCorpusSentences sentences over
// [ToyWords] drawn from a small grammar with an LCG started at
// Seed64(Seed(EvalUID, 0)):
//
//	sentence = "the" [adj] noun verb-phrase
//	verb-phrase = "sat on the" [adj] "mat" | "ran to the" [adj] noun
//	noun = "cat" | "dog" | "mat";  adj = "big" | "red"
//
// Its [TokensHash] is pinned by the package tests; the result is newly
// allocated.
func ToyCorpus() []int32 {
	l := NewLCG(Seed64(Seed(EvalUID, 0)))
	pick := func(n uint32) uint32 { return l.Draw() % n }
	var out []int32
	adj := func() {
		if pick(2) == 0 {
			out = append(out, []int32{toyBig, toyRed}[pick(2)])
		}
	}
	noun := func() { out = append(out, []int32{toyCat, toyDog, toyMat}[pick(3)]) }
	for range ToyCorpusSentences {
		out = append(out, toyThe)
		adj()
		noun()
		if pick(2) == 0 {
			out = append(out, toySat, toyOn, toyThe)
			adj()
			out = append(out, toyMat)
		} else {
			out = append(out, toyRan, toyTo, toyThe)
			adj()
			noun()
		}
	}
	return out
}
