// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title TestRegistry
/// @notice The discovery contract of infernet-sdk 1.x (`Registry`): immutable addresses of the Infernet contracts, fixed
///         at deployment (deployers precompute them from their nonce). Test and devnet use only.
contract TestRegistry {
    address public immutable COORDINATOR;
    address public immutable INBOX;
    address public immutable READER;
    address public immutable FEE;
    address public immutable WALLET_FACTORY;

    constructor(address coordinator, address inbox, address reader, address fee, address walletFactory) {
        COORDINATOR = coordinator;
        INBOX = inbox;
        READER = reader;
        FEE = fee;
        WALLET_FACTORY = walletFactory;
    }
}

interface IRegistry {
    function COORDINATOR() external view returns (address);
}

interface IERC20Minimal {
    function balanceOf(address account) external view returns (uint256);
    function transfer(address to, uint256 amount) external returns (bool);
}

/// @title TestWalletFactory
/// @notice infernet-sdk 1.x's `WalletFactory`: deploys `Wallet`s and remembers which ones it made.
contract TestWalletFactory {
    address private immutable REGISTRY;
    mapping(address => bool) private wallets;

    event WalletCreated(address indexed caller, address indexed owner, address wallet);

    constructor(address registry) {
        REGISTRY = registry;
    }

    function createWallet(address initialOwner) external returns (address) {
        address wallet = address(new TestWallet(REGISTRY, initialOwner));
        wallets[wallet] = true;
        emit WalletCreated(msg.sender, initialOwner, wallet);
        return wallet;
    }

    function isValidWallet(address wallet) external view returns (bool) {
        return wallets[wallet];
    }
}

/// @title TestWallet
/// @notice infernet-sdk 1.x's payments `Wallet`: an owned (solady `Ownable` ABI and errors) balance of ETH
///         (`address(0)`) and ERC20 tokens, spend allowances per consumer and token, and an escrow only the
///         Registry's Coordinator can move (`cLock` / `cUnlock` / `cTransfer`). The owner can withdraw only what is
///         not locked.
contract TestWallet {
    /// @notice The Registry's Coordinator, read once at construction (infernet-sdk's `Coordinated`).
    address private immutable COORDINATOR;

    address private _owner;
    /// @notice token => amount locked in escrow
    mapping(address => uint256) private lockedBalance;
    /// @notice spender (consumer) => token => amount it may spend
    mapping(address => mapping(address => uint256)) public allowance;

    event OwnershipTransferred(address indexed oldOwner, address indexed newOwner);
    event Approval(address indexed spender, address token, uint256 amount);
    event Withdrawl(address token, uint256 amount);
    event Transfer(address indexed spender, address token, address to, uint256 amount);
    event Lock(address indexed spender, address token, uint256 amount);
    event Unlock(address indexed spender, address token, uint256 amount);

    /// @notice solady `Ownable`: the caller is not the owner. `0x82b42900`
    error Unauthorized();
    /// @notice solady `Ownable`: `transferOwnership(address(0))`. `0x7448fbae`
    error NewOwnerIsZeroAddress();
    /// @notice `Coordinated`: a coordinator-only function called by another address. `0x9ec853e6`
    error NotCoordinator();
    /// @notice More than the unlocked balance asked for (`withdraw`, `cLock`). `0x356680b7`
    error InsufficientFunds();
    /// @notice The spender's allowance is below the amount to lock. `0x13be252b`
    error InsufficientAllowance();
    /// @notice An ETH or token transfer failed. `0x90b8ec18`
    error TransferFailed();

    modifier onlyOwner() {
        if (msg.sender != _owner) revert Unauthorized();
        _;
    }

    modifier onlyCoordinator() {
        if (msg.sender != COORDINATOR) revert NotCoordinator();
        _;
    }

    constructor(address registry, address initialOwner) {
        COORDINATOR = IRegistry(registry).COORDINATOR();
        _owner = initialOwner;
        emit OwnershipTransferred(address(0), initialOwner);
    }

    function owner() external view returns (address) {
        return _owner;
    }

    function transferOwnership(address newOwner) external payable onlyOwner {
        if (newOwner == address(0)) revert NewOwnerIsZeroAddress();
        emit OwnershipTransferred(_owner, newOwner);
        _owner = newOwner;
    }

    function approve(address spender, address token, uint256 amount) external onlyOwner {
        allowance[spender][token] = amount;
        emit Approval(spender, token, amount);
    }

    function withdraw(address token, uint256 amount) external onlyOwner {
        if (amount > _unlocked(token)) revert InsufficientFunds();
        _transfer(token, msg.sender, amount);
        emit Withdrawl(token, amount);
    }

    /// @notice Locks `amount` of the spender's allowance in escrow (e.g. while a proof is verified).
    function cLock(address spender, address token, uint256 amount) external onlyCoordinator {
        if (amount > _unlocked(token)) revert InsufficientFunds();
        if (amount > allowance[spender][token]) revert InsufficientAllowance();
        allowance[spender][token] -= amount;
        lockedBalance[token] += amount;
        emit Lock(spender, token, amount);
    }

    /// @notice Releases escrow back to the spender's allowance.
    function cUnlock(address spender, address token, uint256 amount) external onlyCoordinator {
        lockedBalance[token] -= amount;
        allowance[spender][token] += amount;
        emit Unlock(spender, token, amount);
    }

    /// @notice Pays `to` from escrow.
    function cTransfer(address spender, address token, address to, uint256 amount) external onlyCoordinator {
        lockedBalance[token] -= amount;
        _transfer(token, to, amount);
        emit Transfer(spender, token, to, amount);
    }

    receive() external payable {}

    function _unlocked(address token) private view returns (uint256) {
        uint256 balance = token == address(0) ? address(this).balance : IERC20Minimal(token).balanceOf(address(this));
        return balance - lockedBalance[token];
    }

    function _transfer(address token, address to, uint256 amount) private {
        bool success;
        if (token == address(0)) {
            (success,) = payable(to).call{value: amount}("");
        } else {
            success = IERC20Minimal(token).transfer(to, amount);
        }
        if (!success) revert TransferFailed();
    }
}

/// @title TestToken
/// @notice A small ERC20 with solady's custom errors, configurable decimals and an open `mint`. Test use only.
contract TestToken {
    string public name;
    string public symbol;
    uint8 public immutable decimals;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 amount);
    event Approval(address indexed owner, address indexed spender, uint256 amount);

    /// @notice `0xf4d678b8`
    error InsufficientBalance();
    /// @notice `0x13be252b`
    error InsufficientAllowance();

    constructor(string memory name_, string memory symbol_, uint8 decimals_) {
        name = name_;
        symbol = symbol_;
        decimals = decimals_;
    }

    function mint(address to, uint256 amount) external {
        totalSupply += amount;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        _move(msg.sender, to, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed != type(uint256).max) {
            if (amount > allowed) revert InsufficientAllowance();
            allowance[from][msg.sender] = allowed - amount;
        }
        _move(from, to, amount);
        return true;
    }

    function _move(address from, address to, uint256 amount) private {
        if (amount > balanceOf[from]) revert InsufficientBalance();
        balanceOf[from] -= amount;
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
    }
}
