//! The `soleus` binary: a thin shim over [`soleus_cli::main`].

fn main() -> std::process::ExitCode {
    soleus_cli::main()
}
