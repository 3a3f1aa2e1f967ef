// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice The two ERC-20 calls the channel makes.
interface IERC20Minimal {
    function transfer(address to, uint256 value) external returns (bool);
    function transferFrom(address from, address to, uint256 value) external returns (bool);
}

/// @title DrainChannel
/// @notice Unidirectional payment channels in a 6-decimal stable token.
/// A consumer locks a deposit for a provider; the provider redeems
/// cumulative EIP-712 vouchers signed by the consumer; after expiry the
/// consumer closes the channel and takes back what was not claimed.
contract DrainChannel {
    struct Channel {
        address consumer;
        address provider;
        uint256 deposit;
        uint256 claimed;
        uint256 expiry;
    }

    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant VOUCHER_TYPEHASH = keccak256("Voucher(bytes32 channelId,uint256 amount,uint256 nonce)");
    /// @dev Half the secp256k1 group order: signatures with a larger s are malleable copies.
    uint256 private constant HALF_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    /// @notice EIP-712 domain separator for name "DrainChannel", version "1", fixed at deployment.
    bytes32 public immutable DOMAIN_SEPARATOR;

    /// @notice The token deposits are made in.
    address public usdc;
    /// @notice The admin allowed to change the token; zero once renounced.
    address public owner;
    /// @notice Channels by id; an unknown id reads as all zeros.
    mapping(bytes32 => Channel) public channels;
    /// @notice Per-consumer counter mixed into channel ids.
    mapping(address => uint256) public nonces;

    event ChannelOpened(
        bytes32 indexed channelId, address indexed consumer, address indexed provider, uint256 deposit, uint256 expiry
    );
    event ChannelClaimed(bytes32 indexed channelId, address indexed provider, uint256 amount);
    event ChannelClosed(bytes32 indexed channelId, address indexed consumer, uint256 refund);
    event USDCUpdated(address indexed oldUsdc, address indexed newUsdc);
    event OwnershipRenounced(address indexed previousOwner);

    error InvalidAmount();
    error InvalidSignature();
    error ChannelNotFound();
    error ChannelExists();
    error NotProvider();
    error NotConsumer();
    error NotExpired();
    error ZeroAddress();
    error TransferFailed();
    error NotOwner();
    error NoOwner();

    constructor(address usdc_) {
        if (usdc_ == address(0)) revert ZeroAddress();
        usdc = usdc_;
        owner = msg.sender;
        DOMAIN_SEPARATOR = keccak256(
            abi.encode(DOMAIN_TYPEHASH, keccak256("DrainChannel"), keccak256("1"), block.chainid, address(this))
        );
    }

    /// @notice Opens a channel to `provider`, pulling `amount` tokens from the caller.
    /// @param duration seconds until the consumer may close (0: at once).
    function open(address provider, uint256 amount, uint256 duration) external returns (bytes32 channelId) {
        if (amount == 0) revert InvalidAmount();
        if (provider == address(0)) revert ZeroAddress();
        channelId = keccak256(abi.encodePacked(msg.sender, provider, block.timestamp, nonces[msg.sender]++));
        if (channels[channelId].consumer != address(0)) revert ChannelExists();
        uint256 expiry = block.timestamp + duration;
        channels[channelId] = Channel(msg.sender, provider, amount, 0, expiry);
        _pull(msg.sender, amount);
        emit ChannelOpened(channelId, msg.sender, provider, amount, expiry);
    }

    /// @notice Pays the provider the part of the cumulative voucher `amount` not yet claimed.
    function claim(bytes32 channelId, uint256 amount, uint256 nonce, bytes calldata signature) external {
        Channel storage ch = channels[channelId];
        if (ch.consumer == address(0)) revert ChannelNotFound();
        if (msg.sender != ch.provider) revert NotProvider();
        if (amount <= ch.claimed || amount > ch.deposit) revert InvalidAmount();
        bytes32 digest = keccak256(
            abi.encodePacked(
                "\x19\x01", DOMAIN_SEPARATOR, keccak256(abi.encode(VOUCHER_TYPEHASH, channelId, amount, nonce))
            )
        );
        if (_recover(digest, signature) != ch.consumer) revert InvalidSignature();
        uint256 payout = amount - ch.claimed;
        ch.claimed = amount;
        _send(ch.provider, payout);
        emit ChannelClaimed(channelId, ch.provider, payout);
    }

    /// @notice Closes an expired channel, refunding the unclaimed deposit to the consumer.
    function close(bytes32 channelId) external {
        Channel memory ch = channels[channelId];
        if (ch.consumer == address(0)) revert ChannelNotFound();
        if (msg.sender != ch.consumer) revert NotConsumer();
        if (block.timestamp < ch.expiry) revert NotExpired();
        uint256 refund = ch.deposit - ch.claimed;
        delete channels[channelId];
        if (refund > 0) _send(ch.consumer, refund);
        emit ChannelClosed(channelId, ch.consumer, refund);
    }

    /// @notice Returns the channel (all zeros when unknown).
    function getChannel(bytes32 channelId) external view returns (Channel memory) {
        return channels[channelId];
    }

    /// @notice Returns deposit minus claimed.
    function getBalance(bytes32 channelId) external view returns (uint256) {
        Channel storage ch = channels[channelId];
        return ch.deposit - ch.claimed;
    }

    /// @notice Replaces the token; owner only, until ownership is renounced.
    function setUSDC(address usdc_) external {
        if (owner == address(0)) revert NoOwner();
        if (msg.sender != owner) revert NotOwner();
        if (usdc_ == address(0)) revert ZeroAddress();
        emit USDCUpdated(usdc, usdc_);
        usdc = usdc_;
    }

    /// @notice Gives up the owner role for good.
    function renounceOwnership() external {
        if (owner == address(0)) revert NoOwner();
        if (msg.sender != owner) revert NotOwner();
        emit OwnershipRenounced(owner);
        owner = address(0);
    }

    /// @notice True once nobody can change the token.
    function isImmutable() external view returns (bool) {
        return owner == address(0);
    }

    /// @dev Recovers the signer of a 65-byte r ‖ s ‖ v signature; zero for
    /// malformed, high-s or unrecoverable signatures.
    function _recover(bytes32 digest, bytes calldata sig) private pure returns (address) {
        if (sig.length != 65) return address(0);
        bytes32 r = bytes32(sig[0:32]);
        bytes32 s = bytes32(sig[32:64]);
        uint8 v = uint8(sig[64]);
        if (uint256(s) > HALF_ORDER) return address(0);
        if (v != 27 && v != 28) return address(0);
        return ecrecover(digest, v, r, s);
    }

    function _pull(address from, uint256 value) private {
        _call(abi.encodeCall(IERC20Minimal.transferFrom, (from, address(this), value)));
    }

    function _send(address to, uint256 value) private {
        _call(abi.encodeCall(IERC20Minimal.transfer, (to, value)));
    }

    /// @dev Calls the token, accepting tokens that return true or nothing.
    function _call(bytes memory data) private {
        (bool ok, bytes memory ret) = usdc.call(data);
        if (!ok || (ret.length != 0 && (ret.length != 32 || abi.decode(ret, (uint256)) != 1))) {
            revert TransferFailed();
        }
        if (ret.length == 0 && usdc.code.length == 0) revert TransferFailed();
    }
}
