// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title TestCoordinatorV1
/// @notice The delegated-subscription check of the generation 2 Infernet Coordinator (infernet-sdk 1.x), reduced to
///         what this package signs against: EIP-712 domain (also via EIP-5267 `eip712Domain()`), type hashes,
///         struct hashing, ecrecover, expiry, delegated signer, nonce replay guard; and for payments, the wallet
///         check (`InvalidWallet()` unless the Registry's WalletFactory made the subscription's wallet) and the
///         Wallet escrow calls a node's delivery makes (`lockPayment` / `unlockPayment` / `payNode`, open to anyone
///         here so tests can drive them). Test and devnet use only.
contract TestCoordinatorV1 {
    struct Subscription {
        address owner;
        uint32 activeAt;
        uint32 period;
        uint32 frequency;
        uint16 redundancy;
        bytes32 containerId;
        bool lazy;
        address verifier;
        uint256 paymentAmount;
        address paymentToken;
        address wallet;
    }

    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");

    bytes32 public constant SUBSCRIPTION_TYPEHASH = keccak256(
        "Subscription(address owner,uint32 activeAt,uint32 period,uint32 frequency,uint16 redundancy,bytes32 containerId,bool lazy,address verifier,uint256 paymentAmount,address paymentToken,address wallet)"
    );

    bytes32 public constant DELEGATE_SUBSCRIPTION_TYPEHASH = keccak256(
        "DelegateSubscription(uint32 nonce,uint32 expiry,Subscription sub)Subscription(address owner,uint32 activeAt,uint32 period,uint32 frequency,uint16 redundancy,bytes32 containerId,bool lazy,address verifier,uint256 paymentAmount,address paymentToken,address wallet)"
    );

    /// @notice What a paid subscription charges, kept for the escrow calls.
    struct Payment {
        address owner;
        address wallet;
        address token;
        uint256 amount;
    }

    /// @dev Storage (not constants) so a test can deploy a Coordinator with another domain.
    string public EIP712_NAME;
    string public EIP712_VERSION;

    mapping(address => uint32) public maxSubscriberNonce;
    mapping(bytes32 => uint32) public delegateCreatedIds;
    uint32 public id = 1;
    /// @notice The Registry this Coordinator takes its WalletFactory from (read at each use, so the Registry may be
    ///         deployed after the Coordinator at a precomputed address).
    address public immutable REGISTRY;
    mapping(uint32 => Payment) public payments;

    event SubscriptionCreated(uint32 indexed id);

    error SignatureExpired();
    error SignerMismatch();
    error InvalidSignature();
    /// @notice A paid subscription names a wallet the Registry's WalletFactory did not make. `0x23455ba1`
    error InvalidWallet();

    constructor(string memory name, string memory version, address registry) {
        EIP712_NAME = name;
        EIP712_VERSION = version;
        REGISTRY = registry;
    }

    /// @notice EIP-5267: the domain, as Solady-based Coordinators expose it.
    function eip712Domain()
        external
        view
        returns (
            bytes1 fields,
            string memory name,
            string memory version,
            uint256 chainId,
            address verifyingContract,
            bytes32 salt,
            uint256[] memory extensions
        )
    {
        return (hex"0f", EIP712_NAME, EIP712_VERSION, block.chainid, address(this), bytes32(0), new uint256[](0));
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
                sub.containerId,
                sub.lazy,
                sub.verifier,
                sub.paymentAmount,
                sub.paymentToken,
                sub.wallet
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
        if (recovered != IDelegatorV1(sub.owner).getSigner()) {
            revert SignerMismatch();
        }
        if (sub.paymentAmount > 0) {
            address factory = IRegistryV1(REGISTRY).WALLET_FACTORY();
            if (!IWalletFactoryV1(factory).isValidWallet(sub.wallet)) {
                revert InvalidWallet();
            }
        }
        uint32 subscriptionId = id++;
        delegateCreatedIds[key] = subscriptionId;
        if (sub.paymentAmount > 0) {
            payments[subscriptionId] = Payment(sub.owner, sub.wallet, sub.paymentToken, sub.paymentAmount);
        }
        emit SubscriptionCreated(subscriptionId);
        if (nonce > maxSubscriberNonce[sub.owner]) {
            maxSubscriberNonce[sub.owner] = nonce;
        }
        return (subscriptionId, false);
    }

    /// @notice Escrows one payment of a subscription in its wallet (`Wallet.cLock`), as a delivery that awaits a proof.
    function lockPayment(uint32 subscriptionId) external {
        Payment memory p = payments[subscriptionId];
        IWalletV1(p.wallet).cLock(p.owner, p.token, p.amount);
    }

    /// @notice Releases an escrowed payment back to the owner's allowance (`Wallet.cUnlock`).
    function unlockPayment(uint32 subscriptionId) external {
        Payment memory p = payments[subscriptionId];
        IWalletV1(p.wallet).cUnlock(p.owner, p.token, p.amount);
    }

    /// @notice Pays an escrowed payment to `node` (`Wallet.cTransfer`).
    function payNode(uint32 subscriptionId, address node) external {
        Payment memory p = payments[subscriptionId];
        IWalletV1(p.wallet).cTransfer(p.owner, p.token, node, p.amount);
    }

    /// @dev As Solady's ECDSA.recover: reverts InvalidSignature() when v is not 27/28 or ecrecover fails.
    function _recover(bytes32 hash, uint8 v, bytes32 r, bytes32 s) private pure returns (address signer) {
        if (v != 27 && v != 28) revert InvalidSignature();
        signer = ecrecover(hash, v, r, s);
        if (signer == address(0)) revert InvalidSignature();
    }
}

interface IRegistryV1 {
    function WALLET_FACTORY() external view returns (address);
}

interface IWalletFactoryV1 {
    function isValidWallet(address wallet) external view returns (bool);
}

interface IWalletV1 {
    function cLock(address spender, address token, uint256 amount) external;
    function cUnlock(address spender, address token, uint256 amount) external;
    function cTransfer(address spender, address token, address to, uint256 amount) external;
}

interface IDelegatorV1 {
    function getSigner() external view returns (address);
}

/// @title TestOwnerV1
/// @notice A subscribing contract that delegates signing to one EOA (infernet-sdk 1.x's `Delegator.getSigner()`).
contract TestOwnerV1 is IDelegatorV1 {
    address private signer;

    constructor(address delegatedSigner) {
        signer = delegatedSigner;
    }

    function getSigner() external view returns (address) {
        return signer;
    }
}
