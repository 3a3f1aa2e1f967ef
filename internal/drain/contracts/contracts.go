package contracts

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/subnetkit/subnetkit/internal/drain/contracts/bindings"
	"github.com/subnetkit/subnetkit/internal/drain/voucher"
	"github.com/subnetkit/subnetkit/internal/evm"
)

// Event signatures and their topic0 values.
const (
	SigChannelOpened  = "ChannelOpened(bytes32,address,address,uint256,uint256)"
	SigChannelClaimed = "ChannelClaimed(bytes32,address,uint256)"
	SigChannelClosed  = "ChannelClosed(bytes32,address,uint256)"
)

var (
	TopicChannelOpened  = crypto.Keccak256Hash([]byte(SigChannelOpened))
	TopicChannelClaimed = crypto.Keccak256Hash([]byte(SigChannelClaimed))
	TopicChannelClosed  = crypto.Keccak256Hash([]byte(SigChannelClosed))
)

// RevertError is a contract call rejected with one of the contract's custom
// errors. errors.Is matches it against the ErrX sentinels by name.
type RevertError struct {
	// Name is the Solidity error name, e.g. "InvalidAmount"; empty when the
	// revert data named no known error.
	Name string
	// Data is the raw revert data (selector and arguments), if any.
	Data []byte
}

func (e *RevertError) Error() string {
	if e.Name == "" {
		return fmt.Sprintf("contract reverted (data %x)", e.Data)
	}
	return "contract reverted: " + e.Name
}

// Is reports whether target is a RevertError with the same name.
func (e *RevertError) Is(target error) bool {
	t, ok := target.(*RevertError)
	return ok && t.Name == e.Name && t.Name != ""
}

// Sentinels for the contract's custom errors.
var (
	ErrInvalidAmount    = &RevertError{Name: "InvalidAmount"}
	ErrInvalidSignature = &RevertError{Name: "InvalidSignature"}
	ErrChannelNotFound  = &RevertError{Name: "ChannelNotFound"}
	ErrChannelExists    = &RevertError{Name: "ChannelExists"}
	ErrNotProvider      = &RevertError{Name: "NotProvider"}
	ErrNotConsumer      = &RevertError{Name: "NotConsumer"}
	ErrNotExpired       = &RevertError{Name: "NotExpired"}
	ErrZeroAddress      = &RevertError{Name: "ZeroAddress"}
	ErrTransferFailed   = &RevertError{Name: "TransferFailed"}
	ErrNotOwner         = &RevertError{Name: "NotOwner"}
	ErrNoOwner          = &RevertError{Name: "NoOwner"}
	// ErrInsufficientBalance and ErrInsufficientAllowance come from TestUSDC.
	ErrInsufficientBalance   = &RevertError{Name: "InsufficientBalance"}
	ErrInsufficientAllowance = &RevertError{Name: "InsufficientAllowance"}
)

// ErrReverted reports a mined transaction whose receipt shows failure.
var ErrReverted = errors.New("contracts: transaction reverted")

// errorNames maps 4-byte selectors of both contracts' errors to names.
var errorNames = func() map[[4]byte]string {
	m := map[[4]byte]string{}
	for _, a := range []string{bindings.DrainChannelMetaData.ABI, bindings.TestUSDCMetaData.ABI} {
		parsed, err := (&bind.MetaData{ABI: a}).ParseABI()
		if err != nil {
			panic(err) // the generated ABI is valid; pinned by tests
		}
		for name, e := range parsed.Errors {
			m[[4]byte(e.ID[:4])] = name
		}
	}
	return m
}()

// Permanent reports whether a claim that failed with err can never succeed
// (the voucher is spent, unknown, forged or not ours), as opposed to a
// transient failure worth retrying.
func Permanent(err error) bool {
	for _, e := range []error{ErrInvalidAmount, ErrChannelNotFound, ErrInvalidSignature, ErrNotProvider, ErrNotExpired} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// dataError is what go-ethereum's RPC errors with revert data implement.
type dataError interface {
	error
	ErrorData() any
}

// decodeRevert turns an error carrying revert data into a *RevertError;
// other errors are returned unchanged.
func decodeRevert(err error) error {
	if err == nil {
		return nil
	}
	de, ok := errors.AsType[dataError](err)
	if !ok {
		return err
	}
	s, ok := de.ErrorData().(string)
	if !ok {
		return err
	}
	data, derr := hexutil.Decode(s)
	if derr != nil || len(data) < 4 {
		return err
	}
	return &RevertError{Name: errorNames[[4]byte(data[:4])], Data: data}
}

// Channel is the on-chain state of a channel.
type Channel struct {
	Consumer common.Address
	Provider common.Address
	// Deposit and Claimed are token base units.
	Deposit *big.Int
	Claimed *big.Int
	// Expiry is the unix time from which the consumer may close.
	Expiry uint64
}

// Exists reports whether the channel is open (an unknown or closed id reads
// as all zeros).
func (c Channel) Exists() bool { return c.Consumer != (common.Address{}) }

// Balance returns Deposit - Claimed.
func (c Channel) Balance() *big.Int { return new(big.Int).Sub(c.Deposit, c.Claimed) }

// Client drives one deployed DrainChannel contract and reads its token.
type Client struct {
	backend evm.Backend
	chainID *big.Int
	addr    common.Address
	token   common.Address
	ch      *bindings.DrainChannel
	tok     *bindings.TestUSDC
	chInst  *bind.BoundContract
	tokInst *bind.BoundContract
}

// NewClient returns a client for the channel contract at addr, reading the
// chain id and the contract's token address from the chain.
func NewClient(ctx context.Context, backend evm.Backend, addr common.Address) (*Client, error) {
	id, err := backend.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("chain id: %w", err)
	}
	c := &Client{backend: backend, chainID: id, addr: addr, ch: bindings.NewDrainChannel(), tok: bindings.NewTestUSDC()}
	c.chInst = c.ch.Instance(backend, addr)
	token, err := bind.Call(c.chInst, &bind.CallOpts{Context: ctx}, c.ch.PackUsdc(), c.ch.UnpackUsdc)
	if err != nil {
		return nil, fmt.Errorf("read token address of %s: %w", addr, err)
	}
	c.token = token
	c.tokInst = c.tok.Instance(backend, token)
	return c, nil
}

// Address returns the channel contract's address.
func (c *Client) Address() common.Address { return c.addr }

// Token returns the token contract's address.
func (c *Client) Token() common.Address { return c.token }

// ChainID returns the chain id (a copy).
func (c *Client) ChainID() *big.Int { return new(big.Int).Set(c.chainID) }

// Backend returns the backend the client uses.
func (c *Client) Backend() evm.Backend { return c.backend }

// Domain returns the EIP-712 domain vouchers for this contract are signed under.
func (c *Client) Domain() voucher.Domain {
	return voucher.Domain{ChainID: c.ChainID(), VerifyingContract: c.addr}
}

func (c *Client) call(ctx context.Context) *bind.CallOpts { return &bind.CallOpts{Context: ctx} }

// DomainSeparator reads DOMAIN_SEPARATOR() from the contract.
func (c *Client) DomainSeparator(ctx context.Context) (common.Hash, error) {
	h, err := bind.Call(c.chInst, c.call(ctx), c.ch.PackDOMAINSEPARATOR(), c.ch.UnpackDOMAINSEPARATOR)
	return common.Hash(h), err
}

// Channel reads a channel; an unknown or closed id returns a Channel whose
// Exists is false.
func (c *Client) Channel(ctx context.Context, id common.Hash) (Channel, error) {
	r, err := bind.Call(c.chInst, c.call(ctx), c.ch.PackGetChannel(id), c.ch.UnpackGetChannel)
	if err != nil {
		return Channel{}, fmt.Errorf("getChannel %s: %w", id, err)
	}
	if !r.Expiry.IsUint64() {
		return Channel{}, fmt.Errorf("getChannel %s: expiry %s overflows uint64", id, r.Expiry)
	}
	return Channel{Consumer: r.Consumer, Provider: r.Provider, Deposit: r.Deposit, Claimed: r.Claimed, Expiry: r.Expiry.Uint64()}, nil
}

// Balance reads getBalance(id): deposit minus claimed.
func (c *Client) Balance(ctx context.Context, id common.Hash) (*big.Int, error) {
	return bind.Call(c.chInst, c.call(ctx), c.ch.PackGetBalance(id), c.ch.UnpackGetBalance)
}

// TokenBalance reads the token balance of owner.
func (c *Client) TokenBalance(ctx context.Context, owner common.Address) (*big.Int, error) {
	return bind.Call(c.tokInst, c.call(ctx), c.tok.PackBalanceOf(owner), c.tok.UnpackBalanceOf)
}

// Allowance reads how much spender may move from owner's tokens.
func (c *Client) Allowance(ctx context.Context, owner, spender common.Address) (*big.Int, error) {
	return bind.Call(c.tokInst, c.call(ctx), c.tok.PackAllowance(owner, spender), c.tok.UnpackAllowance)
}

// transact sends calldata to inst from key and waits for a successful receipt.
func (c *Client) transact(ctx context.Context, key *ecdsa.PrivateKey, inst *bind.BoundContract, data []byte) (*types.Receipt, error) {
	opts := bind.NewKeyedTransactor(key, c.chainID)
	opts.Context = ctx
	tx, err := bind.Transact(inst, opts, data)
	if err != nil {
		return nil, decodeRevert(err)
	}
	return wait(ctx, c.backend, tx)
}

func wait(ctx context.Context, backend evm.Backend, tx *types.Transaction) (*types.Receipt, error) {
	r, err := bind.WaitMined(ctx, backend, tx.Hash())
	if err != nil {
		return nil, fmt.Errorf("wait for %s: %w", tx.Hash(), err)
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return r, fmt.Errorf("%w: %s", ErrReverted, tx.Hash())
	}
	return r, nil
}

// Mint creates amount test tokens for to; key must be the token's deployer.
func (c *Client) Mint(ctx context.Context, key *ecdsa.PrivateKey, to common.Address, amount *big.Int) (*types.Receipt, error) {
	return c.transact(ctx, key, c.tokInst, c.tok.PackMint(to, amount))
}

// Approve lets the channel contract pull up to amount of key's tokens.
func (c *Client) Approve(ctx context.Context, key *ecdsa.PrivateKey, amount *big.Int) (*types.Receipt, error) {
	return c.transact(ctx, key, c.tokInst, c.tok.PackApprove(c.addr, amount))
}

// Opened is the result of [Client.Open].
type Opened struct {
	ID      common.Hash
	Expiry  uint64
	Receipt *types.Receipt
}

// Open opens a channel from key's account to provider with deposit amount
// (base units) that the consumer may close after duration (whole seconds).
// It first approves the contract for the deposit when the allowance is
// short. Errors: [ErrInvalidAmount] for a zero amount, [ErrZeroAddress],
// [ErrTransferFailed] when the token refuses the transfer, or the chain's error.
func (c *Client) Open(ctx context.Context, key *ecdsa.PrivateKey, provider common.Address, amount *big.Int, duration time.Duration) (Opened, error) {
	consumer := evm.Address(key)
	allowed, err := c.Allowance(ctx, consumer, c.addr)
	if err != nil {
		return Opened{}, fmt.Errorf("read allowance: %w", err)
	}
	if allowed.Cmp(amount) < 0 {
		if _, err := c.Approve(ctx, key, amount); err != nil {
			return Opened{}, fmt.Errorf("approve: %w", err)
		}
	}
	r, err := c.transact(ctx, key, c.chInst, c.ch.PackOpen(provider, amount, big.NewInt(int64(duration/time.Second))))
	if err != nil {
		return Opened{}, fmt.Errorf("open: %w", err)
	}
	for _, l := range r.Logs {
		if l.Address != c.addr || len(l.Topics) == 0 || l.Topics[0] != TopicChannelOpened {
			continue
		}
		ev, err := c.ch.UnpackChannelOpenedEvent(l)
		if err != nil {
			return Opened{}, fmt.Errorf("open: %w", err)
		}
		return Opened{ID: ev.ChannelId, Expiry: ev.Expiry.Uint64(), Receipt: r}, nil
	}
	return Opened{}, fmt.Errorf("open: no ChannelOpened log in %s", r.TxHash)
}

// Claim redeems a signed voucher; key must be the channel's provider.
// Errors: [ErrChannelNotFound], [ErrNotProvider], [ErrInvalidAmount]
// (not above the claimed amount, or above the deposit),
// [ErrInvalidSignature], [ErrReverted], or the chain's error.
func (c *Client) Claim(ctx context.Context, key *ecdsa.PrivateKey, s voucher.Signed) (*types.Receipt, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	r, err := c.transact(ctx, key, c.chInst, c.ch.PackClaim(s.ChannelID, s.Amount, s.Nonce, s.Signature))
	if err != nil {
		return r, fmt.Errorf("claim %s: %w", s.ChannelID, err)
	}
	return r, nil
}

// Close closes an expired channel and refunds the consumer; key must be the
// consumer. Errors: [ErrChannelNotFound], [ErrNotConsumer], [ErrNotExpired].
func (c *Client) Close(ctx context.Context, key *ecdsa.PrivateKey, id common.Hash) (*types.Receipt, error) {
	r, err := c.transact(ctx, key, c.chInst, c.ch.PackClose(id))
	if err != nil {
		return r, fmt.Errorf("close %s: %w", id, err)
	}
	return r, nil
}

// Claimed is a decoded ChannelClaimed log.
type Claimed struct {
	ChannelID common.Hash
	Provider  common.Address
	// Amount is what this claim paid (base units), not the cumulative total.
	Amount *big.Int
	Log    types.Log
}

// ParseClaimed decodes a ChannelClaimed log (any emitting address).
func ParseClaimed(l types.Log) (Claimed, error) {
	if len(l.Topics) != 3 || l.Topics[0] != TopicChannelClaimed || len(l.Data) != 32 {
		return Claimed{}, fmt.Errorf("not a ChannelClaimed log")
	}
	return Claimed{
		ChannelID: l.Topics[1],
		Provider:  common.BytesToAddress(l.Topics[2][12:]),
		Amount:    new(big.Int).SetBytes(l.Data),
		Log:       l,
	}, nil
}

// Deployment is a freshly deployed channel contract and token.
type Deployment struct {
	Channel common.Address
	Token   common.Address
	// Client drives the deployment.
	Client *Client
}

// Deploy deploys TestUSDC (minted by key) and a DrainChannel over it, for
// development chains and tests. It waits for both receipts.
func Deploy(ctx context.Context, backend evm.Backend, key *ecdsa.PrivateKey) (Deployment, error) {
	id, err := backend.ChainID(ctx)
	if err != nil {
		return Deployment{}, fmt.Errorf("chain id: %w", err)
	}
	deploy := func(meta *bind.MetaData, input []byte) (common.Address, error) {
		opts := bind.NewKeyedTransactor(key, id)
		opts.Context = ctx
		addr, tx, err := bind.DeployContract(opts, common.FromHex(meta.Bin), backend, input)
		if err != nil {
			return common.Address{}, decodeRevert(err)
		}
		if _, err := wait(ctx, backend, tx); err != nil {
			return common.Address{}, err
		}
		return addr, nil
	}
	token, err := deploy(&bindings.TestUSDCMetaData, nil)
	if err != nil {
		return Deployment{}, fmt.Errorf("deploy TestUSDC: %w", err)
	}
	ch, err := deploy(&bindings.DrainChannelMetaData, bindings.NewDrainChannel().PackConstructor(token))
	if err != nil {
		return Deployment{}, fmt.Errorf("deploy DrainChannel: %w", err)
	}
	c, err := NewClient(ctx, backend, ch)
	if err != nil {
		return Deployment{}, err
	}
	return Deployment{Channel: ch, Token: token, Client: c}, nil
}

// AutoMine returns sim's client with every sent transaction mined at once
// in its own block, so code that waits for receipts works unchanged on the
// simulated chain (anvil's default behaviour). It is safe for concurrent use.
func AutoMine(sim *evm.Simulated) evm.Backend {
	return &autoMine{Backend: sim.Client(), sim: sim}
}

type autoMine struct {
	evm.Backend
	sim *evm.Simulated
	mu  sync.Mutex
}

func (a *autoMine) SendTransaction(ctx context.Context, tx *types.Transaction) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.Backend.SendTransaction(ctx, tx); err != nil {
		return err
	}
	a.sim.Commit()
	return nil
}
