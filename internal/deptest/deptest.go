// Package deptest holds repository-wide checks that run as tests: every
// package has a doc comment, and the pure cores import no network, logging,
// metrics or clock-driven packages. It has no code of its own.
package deptest
