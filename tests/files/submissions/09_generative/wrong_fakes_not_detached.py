# The critic's loss is built on fakes that are not detached, and the generator's gradients are not zeroed
# before its own step: the generator also follows the critic's loss, which pushes it the wrong way.
# expect: partial
# fails: test_wgan_step test_wgan_step_hidden
# %% answer id=wgan
def gradient_penalty(critic, X_real, X_fake, alpha):
    X_hat = (alpha * X_real + (1 - alpha) * X_fake).detach().requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(X_hat).sum(), X_hat, create_graph=True)
    return ((grad.norm(dim=1) - 1) ** 2).mean()


def wgan_gp_step(generator, critic, opt_G, opt_critic, X_real, Z, alpha, lam=10.0):
    opt_G.zero_grad()
    opt_critic.zero_grad()
    X_fake = generator(Z)
    critic_loss = critic(X_fake).mean() - critic(X_real).mean() + lam * gradient_penalty(critic, X_real, X_fake, alpha)
    critic_loss.backward(retain_graph=True)
    opt_critic.step()
    generator_loss = -critic(X_fake).mean()
    generator_loss.backward()
    opt_G.step()
    return critic_loss.item(), generator_loss.item()
