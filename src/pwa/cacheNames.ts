/** Cache names shared by the service worker and the page. */
export const MNIST_CACHE = 'digit-lab-mnist';
