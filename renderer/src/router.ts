import { createRouter, createWebHashHistory } from 'vue-router'

// Hash history: works the same under the app's custom protocol and under `studio serve`.
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/datasets' },
    {
      path: '/datasets',
      name: 'datasets',
      component: () => import('./views/DatasetsView.vue'),
      meta: { title: 'Datasets' },
    },
    {
      path: '/datasets/:id(\\d+)',
      name: 'dataset',
      component: () => import('./views/DatasetView.vue'),
      props: (route) => ({ id: Number(route.params.id) }),
      meta: { title: 'Dataset' },
    },
    {
      path: '/train',
      name: 'train',
      component: () => import('./views/TrainView.vue'),
      meta: { title: 'Train' },
    },
    {
      path: '/runs',
      name: 'runs',
      component: () => import('./views/RunsView.vue'),
      meta: { title: 'Runs' },
    },
    {
      path: '/runs/:id(\\d+)',
      name: 'run',
      component: () => import('./views/RunView.vue'),
      props: (route) => ({ id: Number(route.params.id) }),
      meta: { title: 'Run' },
    },
    {
      path: '/runs/:id(\\d+)/latent',
      name: 'latent',
      component: () => import('./latent/LatentView.vue'),
      props: (route) => ({ id: Number(route.params.id) }),
      meta: { title: 'Latent space' },
    },
    {
      path: '/runs/:id(\\d+)/compare',
      name: 'compare',
      component: () => import('./views/CompareView.vue'),
      props: (route) => ({ id: Number(route.params.id) }),
      meta: { title: 'UMAP comparison' },
    },
    {
      path: '/runs/:id(\\d+)/clusters',
      name: 'clusters',
      component: () => import('./clusters/ClustersView.vue'),
      props: (route) => ({ id: Number(route.params.id) }),
      meta: { title: 'Clusters' },
    },
    {
      path: '/runs/:id(\\d+)/reconstructions',
      name: 'reconstructions',
      component: () => import('./reconstructions/ReconstructionsView.vue'),
      props: (route) => ({ id: Number(route.params.id) }),
      meta: { title: 'Reconstructions' },
    },
    {
      path: '/runs/:id(\\d+)/table',
      name: 'table',
      component: () => import('./selection/TableView.vue'),
      props: (route) => ({ id: Number(route.params.id) }),
      meta: { title: 'Items' },
    },
    { path: '/:rest(.*)*', redirect: '/datasets' },
  ],
})

router.afterEach((to) => {
  const title = typeof to.meta.title === 'string' ? to.meta.title : ''
  document.title = title ? `${title} · Autoencoder Studio` : 'Autoencoder Studio'
})
