// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package bindings

import (
	"bytes"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = bytes.Equal
	_ = errors.New
	_ = big.NewInt
	_ = common.Big1
	_ = types.BloomLookup
	_ = abi.ConvertType
)

// DrainChannelChannel is an auto generated low-level Go binding around an user-defined struct.
type DrainChannelChannel struct {
	Consumer common.Address
	Provider common.Address
	Deposit  *big.Int
	Claimed  *big.Int
	Expiry   *big.Int
}

// DrainChannelMetaData contains all meta data concerning the DrainChannel contract.
var DrainChannelMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"address\",\"name\":\"usdc_\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[],\"name\":\"ChannelExists\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ChannelNotFound\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidAmount\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidSignature\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NoOwner\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotConsumer\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotExpired\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotOwner\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotProvider\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"TransferFailed\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAddress\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"channelId\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"ChannelClaimed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"channelId\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"consumer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"refund\",\"type\":\"uint256\"}],\"name\":\"ChannelClosed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"channelId\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"consumer\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"deposit\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"expiry\",\"type\":\"uint256\"}],\"name\":\"ChannelOpened\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"previousOwner\",\"type\":\"address\"}],\"name\":\"OwnershipRenounced\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"oldUsdc\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"newUsdc\",\"type\":\"address\"}],\"name\":\"USDCUpdated\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"DOMAIN_SEPARATOR\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"name\":\"channels\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"consumer\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"deposit\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"claimed\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"expiry\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"channelId\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"nonce\",\"type\":\"uint256\"},{\"internalType\":\"bytes\",\"name\":\"signature\",\"type\":\"bytes\"}],\"name\":\"claim\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"channelId\",\"type\":\"bytes32\"}],\"name\":\"close\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"channelId\",\"type\":\"bytes32\"}],\"name\":\"getBalance\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"channelId\",\"type\":\"bytes32\"}],\"name\":\"getChannel\",\"outputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"consumer\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"deposit\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"claimed\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"expiry\",\"type\":\"uint256\"}],\"internalType\":\"structDrainChannel.Channel\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"isImmutable\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"nonces\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"duration\",\"type\":\"uint256\"}],\"name\":\"open\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"channelId\",\"type\":\"bytes32\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"owner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"renounceOwnership\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"usdc_\",\"type\":\"address\"}],\"name\":\"setUSDC\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"usdc\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "DrainChannel",
	Bin: "0x60a060405234801561000f575f5ffd5b5060405161105d38038061105d83398101604081905261002e91610125565b6001600160a01b0381166100555760405163d92e233d60e01b815260040160405180910390fd5b5f80546001600160a01b0383166001600160a01b0319918216179091556001805490911633179055604080517f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f60208201527f0621f90a7e81e67b52d6eeb8003d4740e7525b609349bb9fd023fa2386811720918101919091527fc89efdaa54c0f20c7adf612882df0950f5a951637e0307cdcb4c672f298b8bc660608201524660808201523060a082015260c00160408051601f19818403018152919052805160209091012060805250610152565b5f60208284031215610135575f5ffd5b81516001600160a01b038116811461014b575f5ffd5b9392505050565b608051610eed6101705f395f818160d4015261086c0152610eed5ff3fe608060405234801561000f575f5ffd5b50600436106100cb575f3560e01c8063831c2b82116100885780638e739461116100635780638e7394611461026f57806395ace4b314610282578063b3e089a214610295578063bb0aa8ef146102a8575f5ffd5b8063831c2b82146101eb57806389a86ad3146102495780638da5cb5b1461025c575f5ffd5b80633644e515146100cf57806339c79e0c146101095780633e413bee1461011e578063715018a6146101485780637a7ebd7b146101505780637ecebe00146101cc575b5f5ffd5b6100f67f000000000000000000000000000000000000000000000000000000000000000081565b6040519081526020015b60405180910390f35b61011c610117366004610d01565b6102c4565b005b5f54610130906001600160a01b031681565b6040516001600160a01b039091168152602001610100565b61011c610439565b61019961015e366004610d01565b600260208190525f9182526040909120805460018201549282015460038301546004909301546001600160a01b039283169490921692909185565b604080516001600160a01b039687168152959094166020860152928401919091526060830152608082015260a001610100565b6100f66101da366004610d33565b60036020525f908152604090205481565b6101fe6101f9366004610d01565b6104d6565b604051610100919081516001600160a01b0390811682526020808401519091169082015260408083015190820152606080830151908201526080918201519181019190915260a00190565b6100f6610257366004610d4c565b61056c565b600154610130906001600160a01b031681565b6100f661027d366004610d01565b610746565b61011c610290366004610d7c565b610770565b61011c6102a3366004610d33565b610971565b6001546040516001600160a01b03909116158152602001610100565b5f81815260026020818152604092839020835160a08101855281546001600160a01b0390811680835260018401549091169382019390935292810154938301939093526003830154606083015260049092015460808201529061033a57604051630781f76560e21b815260040160405180910390fd5b80516001600160a01b0316331461036457604051638c7dc13d60e01b815260040160405180910390fd5b80608001514210156103895760405163d0404f8560e01b815260040160405180910390fd5b5f8160600151826040015161039e9190610e17565b5f848152600260208190526040822080546001600160a01b0319908116825560018201805490911690559081018290556003810182905560040155905080156103ed5781516103ed9082610a45565b815f01516001600160a01b0316837f180ea96fa778b12bb1fc654d1945f3a13b23f0d7c6e600f2cbee2ab553d7ed188360405161042c91815260200190565b60405180910390a3505050565b6001546001600160a01b031661046257604051633fa8f08160e11b815260040160405180910390fd5b6001546001600160a01b0316331461048d576040516330cd747160e01b815260040160405180910390fd5b6001546040516001600160a01b03909116907ff8df31144d9c2f0f6b59d69b8b98abd5459d07f2742c4df920b25aae33c64820905f90a2600180546001600160a01b0319169055565b6105156040518060a001604052805f6001600160a01b031681526020015f6001600160a01b031681526020015f81526020015f81526020015f81525090565b505f90815260026020818152604092839020835160a08101855281546001600160a01b0390811682526001830154169281019290925291820154928101929092526003810154606083015260040154608082015290565b5f825f0361058d5760405163162908e360e11b815260040160405180910390fd5b6001600160a01b0384166105b45760405163d92e233d60e01b815260040160405180910390fd5b335f818152600360205260408120805487924292906105d283610e30565b909155506040516bffffffffffffffffffffffff19606095861b811660208301529390941b90921660348401526048830152606882015260880160408051601f1981840301815291815281516020928301205f81815260029093529120549091506001600160a01b03161561065a5760405163346000cf60e21b815260040160405180910390fd5b5f6106658342610e48565b6040805160a081018252338082526001600160a01b0389811660208085019182528486018b81525f60608701818152608088018a81528c835260029485905298909120965187546001600160a01b0319908116918716919091178855935160018801805490951695169490941790925590519084015551600383015591516004909101559091506106f69085610a98565b60408051858152602081018390526001600160a01b03871691339185917f506f81b7a67b45bfbc6167fd087b3dd9b65b4531a2380ec406aab5b57ac62152910160405180910390a4509392505050565b5f8181526002602081905260408220600381015491810154909161076991610e17565b9392505050565b5f85815260026020526040902080546001600160a01b03166107a557604051630781f76560e21b815260040160405180910390fd5b60018101546001600160a01b031633146107d257604051631a40715960e11b815260040160405180910390fd5b8060030154851115806107e85750806002015485115b156108065760405163162908e360e11b815260040160405180910390fd5b604080517fc9cdc4cc70aa6358dcce05ec5203e3ddb46e60ae0e8342801841c1ae755cdfc66020808301919091528183018990526060820188905260808083018890528351808403909101815260a08301845280519082012061190160f01b60c08401527f000000000000000000000000000000000000000000000000000000000000000060c284015260e28084019190915283518084039091018152610102909201909252805191012081546001600160a01b03166108c7828686610aed565b6001600160a01b0316146108ee57604051638baa579f60e01b815260040160405180910390fd5b5f8260030154876108ff9190610e17565b600384018890556001840154909150610921906001600160a01b031682610a45565b60018301546040518281526001600160a01b039091169089907ff52962519ffeefc816f3b8d3e9498fd9fd014f35c0b6aeead0118577a42bb3249060200160405180910390a35050505050505050565b6001546001600160a01b031661099a57604051633fa8f08160e11b815260040160405180910390fd5b6001546001600160a01b031633146109c5576040516330cd747160e01b815260040160405180910390fd5b6001600160a01b0381166109ec5760405163d92e233d60e01b815260040160405180910390fd5b5f80546040516001600160a01b03808516939216917f34bce51e81ccc5ca6cb9c21024c6824f3a4711ae2d1e6e8e4881317ff6d1c41391a35f80546001600160a01b0319166001600160a01b0392909216919091179055565b6040516001600160a01b038316602482015260448101829052610a949060640160408051601f198184030181529190526020810180516001600160e01b031663a9059cbb60e01b179052610c10565b5050565b6040516001600160a01b038316602482015230604482015260648101829052610a949060840160408051601f198184030181529190526020810180516001600160e01b03166323b872dd60e01b179052610c10565b5f60418214610afd57505f610769565b5f610b0b6020828587610e5b565b610b1491610e82565b90505f610b25604060208688610e5b565b610b2e91610e82565b90505f85856040818110610b4457610b44610e9f565b919091013560f81c9150507f7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0821115610b82575f9350505050610769565b8060ff16601b14158015610b9a57508060ff16601c14155b15610baa575f9350505050610769565b604080515f81526020810180835289905260ff831691810191909152606081018490526080810183905260019060a0016020604051602081039080840390855afa158015610bfa573d5f5f3e3d5ffd5b5050604051601f19015198975050505050505050565b5f805460405182916001600160a01b031690610c2d908590610eb3565b5f604051808303815f865af19150503d805f8114610c66576040519150601f19603f3d011682016040523d82523d5f602084013e610c6b565b606091505b5091509150811580610ca85750805115801590610ca8575080516020141580610ca8575080806020019051810190610ca39190610ec9565b600114155b15610cc6576040516312171d8360e31b815260040160405180910390fd5b8051158015610cde57505f546001600160a01b03163b155b15610cfc576040516312171d8360e31b815260040160405180910390fd5b505050565b5f60208284031215610d11575f5ffd5b5035919050565b80356001600160a01b0381168114610d2e575f5ffd5b919050565b5f60208284031215610d43575f5ffd5b61076982610d18565b5f5f5f60608486031215610d5e575f5ffd5b610d6784610d18565b95602085013595506040909401359392505050565b5f5f5f5f5f60808688031215610d90575f5ffd5b853594506020860135935060408601359250606086013567ffffffffffffffff811115610dbb575f5ffd5b8601601f81018813610dcb575f5ffd5b803567ffffffffffffffff811115610de1575f5ffd5b886020828401011115610df2575f5ffd5b959894975092955050506020019190565b634e487b7160e01b5f52601160045260245ffd5b81810381811115610e2a57610e2a610e03565b92915050565b5f60018201610e4157610e41610e03565b5060010190565b80820180821115610e2a57610e2a610e03565b5f5f85851115610e69575f5ffd5b83861115610e75575f5ffd5b5050820193919092039150565b80356020831015610e2a575f19602084900360031b1b1692915050565b634e487b7160e01b5f52603260045260245ffd5b5f82518060208501845e5f920191825250919050565b5f60208284031215610ed9575f5ffd5b505191905056fea164736f6c6343000825000a",
}

// DrainChannel is an auto generated Go binding around an Ethereum contract.
type DrainChannel struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *DrainChannel) GetABI() abi.ABI {
	return c.abi
}

// NewDrainChannel creates a new instance of DrainChannel.
func NewDrainChannel() *DrainChannel {
	parsed, err := DrainChannelMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &DrainChannel{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *DrainChannel) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address usdc_) returns()
func (drainChannel *DrainChannel) PackConstructor(usdc_ common.Address) []byte {
	enc, err := drainChannel.abi.Pack("", usdc_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackDOMAINSEPARATOR is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3644e515.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function DOMAIN_SEPARATOR() view returns(bytes32)
func (drainChannel *DrainChannel) PackDOMAINSEPARATOR() []byte {
	enc, err := drainChannel.abi.Pack("DOMAIN_SEPARATOR")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDOMAINSEPARATOR is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3644e515.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function DOMAIN_SEPARATOR() view returns(bytes32)
func (drainChannel *DrainChannel) TryPackDOMAINSEPARATOR() ([]byte, error) {
	return drainChannel.abi.Pack("DOMAIN_SEPARATOR")
}

// UnpackDOMAINSEPARATOR is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x3644e515.
//
// Solidity: function DOMAIN_SEPARATOR() view returns(bytes32)
func (drainChannel *DrainChannel) UnpackDOMAINSEPARATOR(data []byte) ([32]byte, error) {
	out, err := drainChannel.abi.Unpack("DOMAIN_SEPARATOR", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackChannels is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7a7ebd7b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function channels(bytes32 ) view returns(address consumer, address provider, uint256 deposit, uint256 claimed, uint256 expiry)
func (drainChannel *DrainChannel) PackChannels(arg0 [32]byte) []byte {
	enc, err := drainChannel.abi.Pack("channels", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackChannels is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7a7ebd7b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function channels(bytes32 ) view returns(address consumer, address provider, uint256 deposit, uint256 claimed, uint256 expiry)
func (drainChannel *DrainChannel) TryPackChannels(arg0 [32]byte) ([]byte, error) {
	return drainChannel.abi.Pack("channels", arg0)
}

// ChannelsOutput serves as a container for the return parameters of contract
// method Channels.
type ChannelsOutput struct {
	Consumer common.Address
	Provider common.Address
	Deposit  *big.Int
	Claimed  *big.Int
	Expiry   *big.Int
}

// UnpackChannels is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x7a7ebd7b.
//
// Solidity: function channels(bytes32 ) view returns(address consumer, address provider, uint256 deposit, uint256 claimed, uint256 expiry)
func (drainChannel *DrainChannel) UnpackChannels(data []byte) (ChannelsOutput, error) {
	out, err := drainChannel.abi.Unpack("channels", data)
	outstruct := new(ChannelsOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Consumer = *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	outstruct.Provider = *abi.ConvertType(out[1], new(common.Address)).(*common.Address)
	outstruct.Deposit = abi.ConvertType(out[2], new(big.Int)).(*big.Int)
	outstruct.Claimed = abi.ConvertType(out[3], new(big.Int)).(*big.Int)
	outstruct.Expiry = abi.ConvertType(out[4], new(big.Int)).(*big.Int)
	return *outstruct, nil
}

// PackClaim is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95ace4b3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function claim(bytes32 channelId, uint256 amount, uint256 nonce, bytes signature) returns()
func (drainChannel *DrainChannel) PackClaim(channelId [32]byte, amount *big.Int, nonce *big.Int, signature []byte) []byte {
	enc, err := drainChannel.abi.Pack("claim", channelId, amount, nonce, signature)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackClaim is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95ace4b3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function claim(bytes32 channelId, uint256 amount, uint256 nonce, bytes signature) returns()
func (drainChannel *DrainChannel) TryPackClaim(channelId [32]byte, amount *big.Int, nonce *big.Int, signature []byte) ([]byte, error) {
	return drainChannel.abi.Pack("claim", channelId, amount, nonce, signature)
}

// PackClose is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x39c79e0c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function close(bytes32 channelId) returns()
func (drainChannel *DrainChannel) PackClose(channelId [32]byte) []byte {
	enc, err := drainChannel.abi.Pack("close", channelId)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackClose is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x39c79e0c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function close(bytes32 channelId) returns()
func (drainChannel *DrainChannel) TryPackClose(channelId [32]byte) ([]byte, error) {
	return drainChannel.abi.Pack("close", channelId)
}

// PackGetBalance is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8e739461.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getBalance(bytes32 channelId) view returns(uint256)
func (drainChannel *DrainChannel) PackGetBalance(channelId [32]byte) []byte {
	enc, err := drainChannel.abi.Pack("getBalance", channelId)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetBalance is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8e739461.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getBalance(bytes32 channelId) view returns(uint256)
func (drainChannel *DrainChannel) TryPackGetBalance(channelId [32]byte) ([]byte, error) {
	return drainChannel.abi.Pack("getBalance", channelId)
}

// UnpackGetBalance is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8e739461.
//
// Solidity: function getBalance(bytes32 channelId) view returns(uint256)
func (drainChannel *DrainChannel) UnpackGetBalance(data []byte) (*big.Int, error) {
	out, err := drainChannel.abi.Unpack("getBalance", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackGetChannel is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x831c2b82.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getChannel(bytes32 channelId) view returns((address,address,uint256,uint256,uint256))
func (drainChannel *DrainChannel) PackGetChannel(channelId [32]byte) []byte {
	enc, err := drainChannel.abi.Pack("getChannel", channelId)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetChannel is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x831c2b82.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getChannel(bytes32 channelId) view returns((address,address,uint256,uint256,uint256))
func (drainChannel *DrainChannel) TryPackGetChannel(channelId [32]byte) ([]byte, error) {
	return drainChannel.abi.Pack("getChannel", channelId)
}

// UnpackGetChannel is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x831c2b82.
//
// Solidity: function getChannel(bytes32 channelId) view returns((address,address,uint256,uint256,uint256))
func (drainChannel *DrainChannel) UnpackGetChannel(data []byte) (DrainChannelChannel, error) {
	out, err := drainChannel.abi.Unpack("getChannel", data)
	if err != nil {
		return *new(DrainChannelChannel), err
	}
	out0 := *abi.ConvertType(out[0], new(DrainChannelChannel)).(*DrainChannelChannel)
	return out0, nil
}

// PackIsImmutable is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbb0aa8ef.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isImmutable() view returns(bool)
func (drainChannel *DrainChannel) PackIsImmutable() []byte {
	enc, err := drainChannel.abi.Pack("isImmutable")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsImmutable is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbb0aa8ef.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isImmutable() view returns(bool)
func (drainChannel *DrainChannel) TryPackIsImmutable() ([]byte, error) {
	return drainChannel.abi.Pack("isImmutable")
}

// UnpackIsImmutable is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xbb0aa8ef.
//
// Solidity: function isImmutable() view returns(bool)
func (drainChannel *DrainChannel) UnpackIsImmutable(data []byte) (bool, error) {
	out, err := drainChannel.abi.Unpack("isImmutable", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackNonces is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7ecebe00.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function nonces(address ) view returns(uint256)
func (drainChannel *DrainChannel) PackNonces(arg0 common.Address) []byte {
	enc, err := drainChannel.abi.Pack("nonces", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackNonces is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7ecebe00.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function nonces(address ) view returns(uint256)
func (drainChannel *DrainChannel) TryPackNonces(arg0 common.Address) ([]byte, error) {
	return drainChannel.abi.Pack("nonces", arg0)
}

// UnpackNonces is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x7ecebe00.
//
// Solidity: function nonces(address ) view returns(uint256)
func (drainChannel *DrainChannel) UnpackNonces(data []byte) (*big.Int, error) {
	out, err := drainChannel.abi.Unpack("nonces", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackOpen is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x89a86ad3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function open(address provider, uint256 amount, uint256 duration) returns(bytes32 channelId)
func (drainChannel *DrainChannel) PackOpen(provider common.Address, amount *big.Int, duration *big.Int) []byte {
	enc, err := drainChannel.abi.Pack("open", provider, amount, duration)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackOpen is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x89a86ad3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function open(address provider, uint256 amount, uint256 duration) returns(bytes32 channelId)
func (drainChannel *DrainChannel) TryPackOpen(provider common.Address, amount *big.Int, duration *big.Int) ([]byte, error) {
	return drainChannel.abi.Pack("open", provider, amount, duration)
}

// UnpackOpen is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x89a86ad3.
//
// Solidity: function open(address provider, uint256 amount, uint256 duration) returns(bytes32 channelId)
func (drainChannel *DrainChannel) UnpackOpen(data []byte) ([32]byte, error) {
	out, err := drainChannel.abi.Unpack("open", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function owner() view returns(address)
func (drainChannel *DrainChannel) PackOwner() []byte {
	enc, err := drainChannel.abi.Pack("owner")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function owner() view returns(address)
func (drainChannel *DrainChannel) TryPackOwner() ([]byte, error) {
	return drainChannel.abi.Pack("owner")
}

// UnpackOwner is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8da5cb5b.
//
// Solidity: function owner() view returns(address)
func (drainChannel *DrainChannel) UnpackOwner(data []byte) (common.Address, error) {
	out, err := drainChannel.abi.Unpack("owner", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackRenounceOwnership is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x715018a6.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function renounceOwnership() returns()
func (drainChannel *DrainChannel) PackRenounceOwnership() []byte {
	enc, err := drainChannel.abi.Pack("renounceOwnership")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRenounceOwnership is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x715018a6.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function renounceOwnership() returns()
func (drainChannel *DrainChannel) TryPackRenounceOwnership() ([]byte, error) {
	return drainChannel.abi.Pack("renounceOwnership")
}

// PackSetUSDC is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb3e089a2.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setUSDC(address usdc_) returns()
func (drainChannel *DrainChannel) PackSetUSDC(usdc common.Address) []byte {
	enc, err := drainChannel.abi.Pack("setUSDC", usdc)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetUSDC is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb3e089a2.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setUSDC(address usdc_) returns()
func (drainChannel *DrainChannel) TryPackSetUSDC(usdc common.Address) ([]byte, error) {
	return drainChannel.abi.Pack("setUSDC", usdc)
}

// PackUsdc is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3e413bee.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function usdc() view returns(address)
func (drainChannel *DrainChannel) PackUsdc() []byte {
	enc, err := drainChannel.abi.Pack("usdc")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUsdc is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3e413bee.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function usdc() view returns(address)
func (drainChannel *DrainChannel) TryPackUsdc() ([]byte, error) {
	return drainChannel.abi.Pack("usdc")
}

// UnpackUsdc is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x3e413bee.
//
// Solidity: function usdc() view returns(address)
func (drainChannel *DrainChannel) UnpackUsdc(data []byte) (common.Address, error) {
	out, err := drainChannel.abi.Unpack("usdc", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// DrainChannelChannelClaimed represents a ChannelClaimed event raised by the DrainChannel contract.
type DrainChannelChannelClaimed struct {
	ChannelId [32]byte
	Provider  common.Address
	Amount    *big.Int
	Raw       *types.Log // Blockchain specific contextual infos
}

const DrainChannelChannelClaimedEventName = "ChannelClaimed"

// ContractEventName returns the user-defined event name.
func (DrainChannelChannelClaimed) ContractEventName() string {
	return DrainChannelChannelClaimedEventName
}

// UnpackChannelClaimedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ChannelClaimed(bytes32 indexed channelId, address indexed provider, uint256 amount)
func (drainChannel *DrainChannel) UnpackChannelClaimedEvent(log *types.Log) (*DrainChannelChannelClaimed, error) {
	event := "ChannelClaimed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != drainChannel.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(DrainChannelChannelClaimed)
	if len(log.Data) > 0 {
		if err := drainChannel.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range drainChannel.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// DrainChannelChannelClosed represents a ChannelClosed event raised by the DrainChannel contract.
type DrainChannelChannelClosed struct {
	ChannelId [32]byte
	Consumer  common.Address
	Refund    *big.Int
	Raw       *types.Log // Blockchain specific contextual infos
}

const DrainChannelChannelClosedEventName = "ChannelClosed"

// ContractEventName returns the user-defined event name.
func (DrainChannelChannelClosed) ContractEventName() string {
	return DrainChannelChannelClosedEventName
}

// UnpackChannelClosedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ChannelClosed(bytes32 indexed channelId, address indexed consumer, uint256 refund)
func (drainChannel *DrainChannel) UnpackChannelClosedEvent(log *types.Log) (*DrainChannelChannelClosed, error) {
	event := "ChannelClosed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != drainChannel.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(DrainChannelChannelClosed)
	if len(log.Data) > 0 {
		if err := drainChannel.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range drainChannel.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// DrainChannelChannelOpened represents a ChannelOpened event raised by the DrainChannel contract.
type DrainChannelChannelOpened struct {
	ChannelId [32]byte
	Consumer  common.Address
	Provider  common.Address
	Deposit   *big.Int
	Expiry    *big.Int
	Raw       *types.Log // Blockchain specific contextual infos
}

const DrainChannelChannelOpenedEventName = "ChannelOpened"

// ContractEventName returns the user-defined event name.
func (DrainChannelChannelOpened) ContractEventName() string {
	return DrainChannelChannelOpenedEventName
}

// UnpackChannelOpenedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ChannelOpened(bytes32 indexed channelId, address indexed consumer, address indexed provider, uint256 deposit, uint256 expiry)
func (drainChannel *DrainChannel) UnpackChannelOpenedEvent(log *types.Log) (*DrainChannelChannelOpened, error) {
	event := "ChannelOpened"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != drainChannel.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(DrainChannelChannelOpened)
	if len(log.Data) > 0 {
		if err := drainChannel.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range drainChannel.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// DrainChannelOwnershipRenounced represents a OwnershipRenounced event raised by the DrainChannel contract.
type DrainChannelOwnershipRenounced struct {
	PreviousOwner common.Address
	Raw           *types.Log // Blockchain specific contextual infos
}

const DrainChannelOwnershipRenouncedEventName = "OwnershipRenounced"

// ContractEventName returns the user-defined event name.
func (DrainChannelOwnershipRenounced) ContractEventName() string {
	return DrainChannelOwnershipRenouncedEventName
}

// UnpackOwnershipRenouncedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OwnershipRenounced(address indexed previousOwner)
func (drainChannel *DrainChannel) UnpackOwnershipRenouncedEvent(log *types.Log) (*DrainChannelOwnershipRenounced, error) {
	event := "OwnershipRenounced"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != drainChannel.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(DrainChannelOwnershipRenounced)
	if len(log.Data) > 0 {
		if err := drainChannel.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range drainChannel.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// DrainChannelUSDCUpdated represents a USDCUpdated event raised by the DrainChannel contract.
type DrainChannelUSDCUpdated struct {
	OldUsdc common.Address
	NewUsdc common.Address
	Raw     *types.Log // Blockchain specific contextual infos
}

const DrainChannelUSDCUpdatedEventName = "USDCUpdated"

// ContractEventName returns the user-defined event name.
func (DrainChannelUSDCUpdated) ContractEventName() string {
	return DrainChannelUSDCUpdatedEventName
}

// UnpackUSDCUpdatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event USDCUpdated(address indexed oldUsdc, address indexed newUsdc)
func (drainChannel *DrainChannel) UnpackUSDCUpdatedEvent(log *types.Log) (*DrainChannelUSDCUpdated, error) {
	event := "USDCUpdated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != drainChannel.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(DrainChannelUSDCUpdated)
	if len(log.Data) > 0 {
		if err := drainChannel.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range drainChannel.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (drainChannel *DrainChannel) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], drainChannel.abi.Errors["ChannelExists"].ID.Bytes()[:4]) {
		return drainChannel.UnpackChannelExistsError(raw[4:])
	}
	if bytes.Equal(raw[:4], drainChannel.abi.Errors["ChannelNotFound"].ID.Bytes()[:4]) {
		return drainChannel.UnpackChannelNotFoundError(raw[4:])
	}
	if bytes.Equal(raw[:4], drainChannel.abi.Errors["InvalidAmount"].ID.Bytes()[:4]) {
		return drainChannel.UnpackInvalidAmountError(raw[4:])
	}
	if bytes.Equal(raw[:4], drainChannel.abi.Errors["InvalidSignature"].ID.Bytes()[:4]) {
		return drainChannel.UnpackInvalidSignatureError(raw[4:])
	}
	if bytes.Equal(raw[:4], drainChannel.abi.Errors["NoOwner"].ID.Bytes()[:4]) {
		return drainChannel.UnpackNoOwnerError(raw[4:])
	}
	if bytes.Equal(raw[:4], drainChannel.abi.Errors["NotConsumer"].ID.Bytes()[:4]) {
		return drainChannel.UnpackNotConsumerError(raw[4:])
	}
	if bytes.Equal(raw[:4], drainChannel.abi.Errors["NotExpired"].ID.Bytes()[:4]) {
		return drainChannel.UnpackNotExpiredError(raw[4:])
	}
	if bytes.Equal(raw[:4], drainChannel.abi.Errors["NotOwner"].ID.Bytes()[:4]) {
		return drainChannel.UnpackNotOwnerError(raw[4:])
	}
	if bytes.Equal(raw[:4], drainChannel.abi.Errors["NotProvider"].ID.Bytes()[:4]) {
		return drainChannel.UnpackNotProviderError(raw[4:])
	}
	if bytes.Equal(raw[:4], drainChannel.abi.Errors["TransferFailed"].ID.Bytes()[:4]) {
		return drainChannel.UnpackTransferFailedError(raw[4:])
	}
	if bytes.Equal(raw[:4], drainChannel.abi.Errors["ZeroAddress"].ID.Bytes()[:4]) {
		return drainChannel.UnpackZeroAddressError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// DrainChannelChannelExists represents a ChannelExists error raised by the DrainChannel contract.
type DrainChannelChannelExists struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ChannelExists()
func DrainChannelChannelExistsErrorID() common.Hash {
	return common.HexToHash("0xd180033c21acac5464c177a99211266f1dc1a86c86d5b01a5c9c9b087126f54e")
}

// UnpackChannelExistsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ChannelExists()
func (drainChannel *DrainChannel) UnpackChannelExistsError(raw []byte) (*DrainChannelChannelExists, error) {
	out := new(DrainChannelChannelExists)
	if err := drainChannel.abi.UnpackIntoInterface(out, "ChannelExists", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DrainChannelChannelNotFound represents a ChannelNotFound error raised by the DrainChannel contract.
type DrainChannelChannelNotFound struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ChannelNotFound()
func DrainChannelChannelNotFoundErrorID() common.Hash {
	return common.HexToHash("0x1e07dd9487504c0e42a417526d525044c898050ef32e962570e4c9dfe9ba7423")
}

// UnpackChannelNotFoundError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ChannelNotFound()
func (drainChannel *DrainChannel) UnpackChannelNotFoundError(raw []byte) (*DrainChannelChannelNotFound, error) {
	out := new(DrainChannelChannelNotFound)
	if err := drainChannel.abi.UnpackIntoInterface(out, "ChannelNotFound", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DrainChannelInvalidAmount represents a InvalidAmount error raised by the DrainChannel contract.
type DrainChannelInvalidAmount struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidAmount()
func DrainChannelInvalidAmountErrorID() common.Hash {
	return common.HexToHash("0x2c5211c6cb73b16841677a034781e8336d18ce66df858e54153c86854e11f7b8")
}

// UnpackInvalidAmountError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidAmount()
func (drainChannel *DrainChannel) UnpackInvalidAmountError(raw []byte) (*DrainChannelInvalidAmount, error) {
	out := new(DrainChannelInvalidAmount)
	if err := drainChannel.abi.UnpackIntoInterface(out, "InvalidAmount", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DrainChannelInvalidSignature represents a InvalidSignature error raised by the DrainChannel contract.
type DrainChannelInvalidSignature struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidSignature()
func DrainChannelInvalidSignatureErrorID() common.Hash {
	return common.HexToHash("0x8baa579fce362245063d36f11747a89dd489c54795634fc673cc0e0db51fedc5")
}

// UnpackInvalidSignatureError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidSignature()
func (drainChannel *DrainChannel) UnpackInvalidSignatureError(raw []byte) (*DrainChannelInvalidSignature, error) {
	out := new(DrainChannelInvalidSignature)
	if err := drainChannel.abi.UnpackIntoInterface(out, "InvalidSignature", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DrainChannelNoOwner represents a NoOwner error raised by the DrainChannel contract.
type DrainChannelNoOwner struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NoOwner()
func DrainChannelNoOwnerErrorID() common.Hash {
	return common.HexToHash("0x7f51e102a56ef32eaa1fd6ae7ca3136352c232a22677b8bfed2e871895ed151e")
}

// UnpackNoOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NoOwner()
func (drainChannel *DrainChannel) UnpackNoOwnerError(raw []byte) (*DrainChannelNoOwner, error) {
	out := new(DrainChannelNoOwner)
	if err := drainChannel.abi.UnpackIntoInterface(out, "NoOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DrainChannelNotConsumer represents a NotConsumer error raised by the DrainChannel contract.
type DrainChannelNotConsumer struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotConsumer()
func DrainChannelNotConsumerErrorID() common.Hash {
	return common.HexToHash("0x8c7dc13dad8ecaef3006f12ceafdbe1c428792ee40a14c46ca04d40c9a89a98a")
}

// UnpackNotConsumerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotConsumer()
func (drainChannel *DrainChannel) UnpackNotConsumerError(raw []byte) (*DrainChannelNotConsumer, error) {
	out := new(DrainChannelNotConsumer)
	if err := drainChannel.abi.UnpackIntoInterface(out, "NotConsumer", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DrainChannelNotExpired represents a NotExpired error raised by the DrainChannel contract.
type DrainChannelNotExpired struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotExpired()
func DrainChannelNotExpiredErrorID() common.Hash {
	return common.HexToHash("0xd0404f85ba4e05bc9297b11eebe43be7ba513eafd8961efcc62c4ef15e5bc0b9")
}

// UnpackNotExpiredError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotExpired()
func (drainChannel *DrainChannel) UnpackNotExpiredError(raw []byte) (*DrainChannelNotExpired, error) {
	out := new(DrainChannelNotExpired)
	if err := drainChannel.abi.UnpackIntoInterface(out, "NotExpired", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DrainChannelNotOwner represents a NotOwner error raised by the DrainChannel contract.
type DrainChannelNotOwner struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotOwner()
func DrainChannelNotOwnerErrorID() common.Hash {
	return common.HexToHash("0x30cd74712f59d478562d48e2d35de830db72c60a63dd08ae59199eec990b5bc4")
}

// UnpackNotOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotOwner()
func (drainChannel *DrainChannel) UnpackNotOwnerError(raw []byte) (*DrainChannelNotOwner, error) {
	out := new(DrainChannelNotOwner)
	if err := drainChannel.abi.UnpackIntoInterface(out, "NotOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DrainChannelNotProvider represents a NotProvider error raised by the DrainChannel contract.
type DrainChannelNotProvider struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotProvider()
func DrainChannelNotProviderErrorID() common.Hash {
	return common.HexToHash("0x3480e2b2462e4d9c2f0abe23c91f502123880203393e4f268e0c489e4ec3b3a0")
}

// UnpackNotProviderError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotProvider()
func (drainChannel *DrainChannel) UnpackNotProviderError(raw []byte) (*DrainChannelNotProvider, error) {
	out := new(DrainChannelNotProvider)
	if err := drainChannel.abi.UnpackIntoInterface(out, "NotProvider", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DrainChannelTransferFailed represents a TransferFailed error raised by the DrainChannel contract.
type DrainChannelTransferFailed struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TransferFailed()
func DrainChannelTransferFailedErrorID() common.Hash {
	return common.HexToHash("0x90b8ec1877afffd816d05d9b13947f3ff18ec5851c38bad15ec2b710f92391b1")
}

// UnpackTransferFailedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TransferFailed()
func (drainChannel *DrainChannel) UnpackTransferFailedError(raw []byte) (*DrainChannelTransferFailed, error) {
	out := new(DrainChannelTransferFailed)
	if err := drainChannel.abi.UnpackIntoInterface(out, "TransferFailed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DrainChannelZeroAddress represents a ZeroAddress error raised by the DrainChannel contract.
type DrainChannelZeroAddress struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroAddress()
func DrainChannelZeroAddressErrorID() common.Hash {
	return common.HexToHash("0xd92e233df2717d4a40030e20904abd27b68fcbeede117eaaccbbdac9618c8c73")
}

// UnpackZeroAddressError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroAddress()
func (drainChannel *DrainChannel) UnpackZeroAddressError(raw []byte) (*DrainChannelZeroAddress, error) {
	out := new(DrainChannelZeroAddress)
	if err := drainChannel.abi.UnpackIntoInterface(out, "ZeroAddress", raw); err != nil {
		return nil, err
	}
	return out, nil
}
