// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title TestCoordinatorV0
/// @notice The delegated-subscription check of the generation 1 Infernet Coordinator (infernet-sdk 0.1), reduced to
///         what this package signs against: EIP-712 domain, type hashes, struct hashing, ecrecover, expiry,
///         delegated signer, nonce replay guard. Test and devnet use only; it stores no subscription data.
contract TestCoordinatorV0 {
    struct Subscription {
        address owner;
        uint32 activeAt;
        uint32 period;
        uint32 frequency;
        uint16 redundancy;
        uint48 maxGasPrice;
        uint32 maxGasLimit;
        string containerId;
        bytes inputs;
    }

    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");

    bytes32 public constant SUBSCRIPTION_TYPEHASH = keccak256(
        "Subscription(address owner,uint32 activeAt,uint32 period,uint32 frequency,uint16 redundancy,uint48 maxGasPrice,uint32 maxGasLimit,string containerId,bytes inputs)"
    );

    bytes32 public constant DELEGATE_SUBSCRIPTION_TYPEHASH = keccak256(
        "DelegateSubscription(uint32 nonce,uint32 expiry,Subscription sub)Subscription(address owner,uint32 activeAt,uint32 period,uint32 frequency,uint16 redundancy,uint48 maxGasPrice,uint32 maxGasLimit,string containerId,bytes inputs)"
    );

    /// @dev Storage (not constants) so a test can deploy a Coordinator with another domain.
    string public EIP712_NAME;
    string public EIP712_VERSION;

    mapping(address => uint32) public maxSubscriberNonce;
    mapping(bytes32 => uint32) public delegateCreatedIds;
    uint32 public id = 1;

    event SubscriptionCreated(uint32 indexed id);

    error SignatureExpired();
    error SignerMismatch();
    error InvalidSignature();

    constructor(string memory name, string memory version) {
        EIP712_NAME = name;
        EIP712_VERSION = version;
    }

    function DOMAIN_SEPARATOR() public view returns (bytes32) {
        return keccak256(
            abi.encode(
                DOMAIN_TYPEHASH,
                keccak256(bytes(EIP712_NAME)),
                keccak256(bytes(EIP712_VERSION)),
                block.chainid,
                address(this)
            )
        );
    }

    function hashSubscription(Subscription calldata sub) public pure returns (bytes32) {
        return keccak256(
            abi.encode(
                SUBSCRIPTION_TYPEHASH,
                sub.owner,
                sub.activeAt,
                sub.period,
                sub.frequency,
                sub.redundancy,
                sub.maxGasPrice,
                sub.maxGasLimit,
                keccak256(bytes(sub.containerId)),
                keccak256(sub.inputs)
            )
        );
    }

    /// @notice The EIP-712 digest the signer signs.
    function digest(uint32 nonce, uint32 expiry, Subscription calldata sub) public view returns (bytes32) {
        bytes32 structHash = keccak256(abi.encode(DELEGATE_SUBSCRIPTION_TYPEHASH, nonce, expiry, hashSubscription(sub)));
        return keccak256(abi.encodePacked("\x19\x01", DOMAIN_SEPARATOR(), structHash));
    }

    function createSubscriptionDelegatee(
        uint32 nonce,
        uint32 expiry,
        Subscription calldata sub,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint32, bool) {
        bytes32 key = keccak256(abi.encode(sub.owner, nonce));
        uint32 existing = delegateCreatedIds[key];
        if (existing != 0) {
            return (existing, true);
        }
        if (uint32(block.timestamp) >= expiry) {
            revert SignatureExpired();
        }
        address recovered = _recover(digest(nonce, expiry, sub), v, r, s);
        if (recovered != IDelegatorV0(sub.owner).signer()) {
            revert SignerMismatch();
        }
        uint32 subscriptionId = id++;
        delegateCreatedIds[key] = subscriptionId;
        emit SubscriptionCreated(subscriptionId);
        if (nonce > maxSubscriberNonce[sub.owner]) {
            maxSubscriberNonce[sub.owner] = nonce;
        }
        return (subscriptionId, false);
    }

    /// @dev As Solady's ECDSA.recover: reverts InvalidSignature() when v is not 27/28 or ecrecover fails.
    function _recover(bytes32 hash, uint8 v, bytes32 r, bytes32 s) private pure returns (address signer) {
        if (v != 27 && v != 28) revert InvalidSignature();
        signer = ecrecover(hash, v, r, s);
        if (signer == address(0)) revert InvalidSignature();
    }
}

interface IDelegatorV0 {
    function signer() external view returns (address);
}

/// @title TestOwnerV0
/// @notice A subscribing contract that delegates signing to one EOA (infernet-sdk 0.1's `Delegator.signer()`).
contract TestOwnerV0 is IDelegatorV0 {
    address public signer;

    constructor(address delegatedSigner) {
        signer = delegatedSigner;
    }
}
